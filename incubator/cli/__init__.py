"""The command line, `python -m incubator COMMAND`: the parser in main.py, one module per part."""
