"""Free text shown inside Streamlit's Markdown-rendering elements, made inert.

``st.error``, ``st.success``, ``st.info``, labels and captions render Markdown. File names,
sheet names and importer messages are free text a person typed, so they go through
``plain()`` first: every ASCII punctuation character is backslash-escaped (CommonMark
makes any escaped punctuation literal), and line breaks become spaces (one line).
"""

from __future__ import annotations

import re

_PUNCT = re.compile(r"([!-/:-@\[-`{-~])")


def plain(text: object, one_line: bool = True) -> str:
    """``text`` as literal characters in a Markdown element."""
    s = "" if text is None else str(text)
    if one_line:
        s = re.sub(r"\s*[\r\n]+\s*", " ", s).strip()
    return _PUNCT.sub(r"\\\1", s)
