"""Versnelling: the incubator domain. Pure Python: never imports streamlit."""

__version__ = "0.1.0"
