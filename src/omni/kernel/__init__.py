"""The tiny shared kernel: ids, money, clock, errors, events. It imports no module."""
