"""The app's look: a light, calm stylesheet on top of Fusion-like native widgets."""

STYLESHEET = """
QLabel#pageTitle { font-size: 20pt; font-weight: 600; color: #1f2328; }
QLabel#muted { color: #59636e; }
QLabel#warning { color: #8c1c13; background: #fff1ef; border: 1px solid #f3c7c2; border-radius: 6px; padding: 6px 8px; }
QLabel#chip { color: #0b4f9c; background: #e4efff; border-radius: 9px; padding: 1px 8px; }
QLabel#question { font-size: 20pt; font-weight: 500; color: #1f2328; padding: 8px 0; }
QLabel#phase { font-size: 12pt; font-weight: 600; color: #59636e; }
QLabel#clock { font-size: 44pt; font-weight: 300; }
QLabel#reason { color: #424a53; background: #f6f8fa; border-left: 3px solid #1f6feb; padding: 6px 10px; }
QLabel#captions { color: #424a53; font-size: 12pt; font-style: italic; padding: 4px 24px; }
QLabel#rec { color: #cf222e; font-weight: 700; }
QLabel#sectionTitle { font-size: 11pt; font-weight: 600; color: #1f2328; padding: 4px 0; }
QLabel#feedbackQuestion { font-size: 14pt; font-weight: 600; color: #1f2328; }
QFrame#card { background: #f6f8fa; border: 1px solid #d0d7de; border-radius: 10px; }
QFrame#tile { background: #f6f8fa; border: 1px solid #d0d7de; border-radius: 8px; }
QLabel#tileLabel { font-size: 8pt; font-weight: 600; color: #59636e; letter-spacing: 1px; }
QLabel#tileValue { font-size: 16pt; font-weight: 600; }
QLabel#tileDetail { font-size: 8pt; color: #59636e; }
QPushButton { padding: 6px 14px; }
QPushButton#primary { background: #1f6feb; color: white; border: 1px solid #1a5fd0; border-radius: 6px; font-weight: 600; }
QPushButton#primary:hover { background: #1a5fd0; }
QPushButton#primary:disabled { background: #9bbcf3; border-color: #9bbcf3; }
QProgressBar { border: none; background: #e6e9ed; border-radius: 4px; }
QProgressBar::chunk { background: #1f6feb; border-radius: 4px; }
QListWidget::item { padding: 6px 4px; border-bottom: 1px solid #eaeef2; }
QListWidget::item:selected { background: #ddf4ff; color: #1f2328; }
QTextBrowser { font-size: 11pt; }
"""
