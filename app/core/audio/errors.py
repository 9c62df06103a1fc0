"""Audio failures carry a message fit to show a person as it is."""


class AudioError(Exception):
    """Base for audio problems; str(exc) is the user-facing message."""


class NoInputDeviceError(AudioError):
    pass


class AudioDeviceError(AudioError):
    pass


class AudioFileError(AudioError):
    pass
