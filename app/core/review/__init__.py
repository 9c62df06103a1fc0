"""Looking back at attempts: comparisons, progress over time, what to practise next, reports.

Qt-free: the GUI pages and the `rehearse export` command show what these functions compute.
"""
