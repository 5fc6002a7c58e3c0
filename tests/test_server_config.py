"""What `streamlit run` reads from .streamlit/config.toml, checked through Streamlit's own config
loader (the options the server really gets, not only the file's text)."""

from __future__ import annotations

import os
from pathlib import Path

from streamlit import config

ROOT = Path(__file__).resolve().parents[1]


def test_the_server_shows_no_tracebacks_and_watches_no_files(monkeypatch):
    monkeypatch.chdir(ROOT)
    for name in [n for n in os.environ if n.startswith("STREAMLIT_")]:
        monkeypatch.delenv(name)
    config.get_config_options(force_reparse=True, options_from_flags={})
    try:
        assert config.get_option("client.showErrorDetails") == "none"
        assert config.get_option("server.runOnSave") is False
        # After every script run a watcher walks every imported module to watch its file: on a server,
        # which never edits its own code, about a sixth of its CPU per page.
        assert config.get_option("server.fileWatcherType") == "none"
        assert config.get_option("browser.gatherUsageStats") is False
    finally:
        monkeypatch.undo()
        config.get_config_options(force_reparse=True, options_from_flags={})
