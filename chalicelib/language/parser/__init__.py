"""The keyword parser: a shopper's question read into PetFilters without a model.

One module per concern: ``text`` (cleaning, numbers spelled out), ``misspellings`` (words read as
what they meant), ``stages`` (life stages as ages), ``numbers`` (prices and
ages), ``orders`` (sort words), ``names`` (pets asked for by name), ``kinds`` (types and breeds),
``lists`` ("or" and "not"), ``cues`` (the words of a follow-up: "just", "also", "start over",
"actually"), ``followups`` (reading a question against the answer before it),
``unmatched`` (what the answer could not use); ``reading`` runs them in turn.
"""

from chalicelib.language.parser.names import MAX_NAME_CANDIDATES, name_candidates
from chalicelib.language.parser.reading import Reading, parse, read

__all__ = ["MAX_NAME_CANDIDATES", "Reading", "name_candidates", "parse", "read"]
