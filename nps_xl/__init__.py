"""nps-xl: Net Promoter Score analysis inside Excel, in Python and on the command line."""

__version__ = "0.1.0"
