"""The keyword parser: a shopper's question read into PetFilters without a model.

One module per concern: ``question_text`` (cleaning, numbers spelled out), ``misspellings`` (words
read as what they meant), ``stages`` (life stages as ages), ``bounds`` (prices and ages),
``sort_order`` (sort words), ``names`` (pets asked for by name), ``kind_mentions`` (types and
breeds), ``wanted_kinds`` ("or" and "not"), ``cues`` (the words of a follow-up: "just", "also",
"start over", "actually"), ``followups`` (reading a question against the answer before it),
``unmatched`` (what the answer could not use); ``keyword_reading`` runs them in turn.
"""

from chalicelib.language.parser.keyword_reading import Reading, parse, read
from chalicelib.language.parser.names import MAX_NAME_CANDIDATES, name_candidates

__all__ = ["MAX_NAME_CANDIDATES", "Reading", "name_candidates", "parse", "read"]
