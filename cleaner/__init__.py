"""boilerclean: strip boilerplate from scraped article text and repair its encoding.

>>> from cleaner import clean
>>> clean("Body text.\\n- Advertisement -\\nMore body text.\\n")
'Body text.\\nMore body text.\\n'
"""

from .config import CleanerConfig
from .encoding import Repair
from .engine import Removal
from .html import HtmlCleanResult, clean_html, clean_html_and_explain
from .pipeline import CleanResult, clean, clean_and_explain
from .rules import Rule, RuleError, load_rules

__all__ = [
    "CleanResult",
    "CleanerConfig",
    "HtmlCleanResult",
    "Removal",
    "Repair",
    "Rule",
    "RuleError",
    "clean",
    "clean_and_explain",
    "clean_html",
    "clean_html_and_explain",
    "load_rules",
]
__version__ = "0.1.0"
