"""Spanish and French phrases the parser reads as the English it knows."""

from __future__ import annotations

# Spanish and French phrases rewritten to the English the parser reads (accents already stripped).
# Longer phrases first so "le moins cher" is not read as "moins" + "cher".
TRANSLATIONS: tuple[tuple[str, str], ...] = (
    (r"\b(?:le|la|les) moins chers?\b|\b(?:el|la|los|las) mas barat[oa]s?\b", "cheapest"),
    (
        r"\b(?:le|la|les) plus chers?\b|\b(?:el|la|los|las) mas car[oa]s?\b|\bmas car[oa]s?\b",
        "most expensive",
    ),
    (r"\b(?:le|la|les) plus jeunes?\b|\b(?:el|la|los|las) mas joven(?:es)?\b", "youngest"),
    (r"\b(?:le|la|les) plus vieux\b|\b(?:el|la|los|las) mas viej[oa]s?\b", "oldest"),
    (r"\bpas chers?\b|\bbon marche\b|\bbarat[oa]s?\b|\beconomic[oa]s?\b", "cheap"),
    (r"\bmenos de\b|\bmoins de\b|\bhasta\b|\bjusqu'a\b", "under"),
    (r"\bmas de\b|\bplus de\b|\bal menos\b|\bau moins\b", "over"),
    (r"\bentre\b", "between"),
    (r"\bmil\b|\bmille\b", "thousand"),
    (r"\bcien(?:to)?s?\b", "hundred"),
    (r"(?<=\d) (?:y|et) (?=\$?\d)", " and "),
    (r"(?<=\d) ?(?:anos?|ans?)\b", " years"),
    (r"(?<=\d) ?(?:meses|mes|mois)\b", " months"),
    (r"(?<=\d) ?(?:semanas?|semaines?)\b", " weeks"),
    (r"\bdolares\b|\beuros?\b", "dollars"),
    (r"\bjoven(?:es)?\b|\bjeunes?\b", "young"),
    (r"\bbebes?\b", "baby"),
    (r"\badult[oa]s?\b|\badultes?\b", "adult"),
    (r"\bviej[oa]s\b|\bvieux\b|\bvieilles?\b|\bancian[oa]s?\b", "senior"),
    (r"\bmayores\b", "older"),
    # "chat" alone is English chat; beside a French "or"/"and" it is a cat
    (r"\b(ou|et) ((?:les |des |un |une |mes |mon )?)chats?\b", r"\1 \2cats"),
    (r"\bchats? (?=(?:ou|et)\b)", "cats "),
    (r"\bpas (?:de |d')|\bsans\b|\bsin\b", "without "),
    (r"\bpero\b|\bmais\b", "but"),
    (r"\bou\b", "or"),
    (r"\bet\b", "and"),
)
