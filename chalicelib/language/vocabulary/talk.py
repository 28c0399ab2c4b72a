"""The words of talk around a question: filler, "not" and "or", and the cues of a follow-up."""

from __future__ import annotations

from chalicelib.language.vocabulary.word_tables import words

# Words that carry no filter: greetings, verbs of asking, pronouns, articles, shop talk. A question
# made only of these ("what do you have?") asks for everything; none of them is ever "unmatched".
FILLER = frozenset(
    words(
        "a, an, the, any, some, all, every, each, few, more, most, much, many, lots, lot, other, another,"
        " i, i'm, im, i'd, i'll, ive, i've, me, my, mine, we, we're, us, our, you, you're, your, yours,"
        " u, ya, he, she, it, it's, its, they, them, their, those, these, this, that, that's, there, here,"
        " one, ones,"
        " what, what's, whats, which, who, whom, whose, where, when, why, how, whatever, whichever,"
        " is, are, was, were, be, been, being, am, do, does, did, doing, done, have, has, had, having,"
        " can, could, would, should, will, shall, may, might, must, let, let's, lets,"
        " show, shows, showing, see, seeing, find, finding, get, got, give, list, look, looking, search,"
        " searching, want, wants, wanted, wanna, after, best, need, needs, like, love, prefer, interested,"
        " recommend, suggest,"
        " buy, buying, adopt, adopting, sell, sells, selling, sale, purchase, bring, take, tell, know, meet,"
        " please, pls, plz, thanks, thank, thx, hi, hello, hey, hiya, ok, okay, yes, yeah, yep, sure, fine,"
        " alright, great, cool, nice,"
        " well, so, just, only, really, very, quite, pretty, kind, sort, sorted, ordered, type, sorts, types,"
        " kinds, of, to,"
        " in, on, at, for, from, with, by, about, as, into, than, then, also, too, same,"
        " and, or, nor, either, neither, but, plus, if, like, such, currently, right, now, today, still,"
        " available, stock, store, shop, shelter, place, anything, something, everything, nothing,"
        " pet, pets, animal, animals, critter, critters, friend, friends, companion, companions,"
        " guy, guys, folks, maybe, perhaps, again, instead, first, last, next, options, option,"
        " choices, choice, results, result, new, thing, things, stuff, u, r, ur, pls, sell, carry, carries,"
        " wondering, wonder, curious, hoping, hope, possible, possibly, ideally, preferably, chat, help,"
        " though, although, wait, hmm, hm, actually, oh, um, uh, er, sorry, oops, anyway, btw,"
        " no, not, non, never, without, else, make, makes, budget, budgets, limit, price, prices,"
        " son, sons, daughter, daughters, kid, kids, child, children, family, wife, husband, partner,"
        " mom, mum, dad, girlfriend, boyfriend, grandma, grandpa, friend, friends,"
        " un, une, una, unos, unas, el, los, las, le, les, des, du, del, de, la, y, o, por, para, pour,"
        " con, avec, je, veux, voudrais, cherche, quiero, busco, tienes, hay, avez, vous, tiene, tienen"
    )
)
# Words that measure a number the question gives: with a bound read, they are used by it.
MEASURE_TALK = frozenset(words("cost, costs, costing, priced, price, prices, aged, age, ages, range, old"))
# What a pet's card shows: said of a pet asked for by name, the answer tells it.
ABOUT_A_PET = frozenset(
    words(
        "old, age, cost, costs, much, price, breed, kind, info, information, details, detail, photos,"
        " photo, pictures, picture, available, still, here"
    )
)
# Nouns of shop talk, never a kind of pet the store lacks ("hours?", "any deals?").
SHOP_TALK = frozenset(
    words(
        "hour, question, photo, picture, detail, deal, special, service, appointment, discount, coupon,"
        " sale, option, choice, result, review, rating, supply, toy, treat, cage, tank, leash, bowl, bed,"
        " accessory, order, delivery, return, refund, payment, card, account, password, location, store"
    )
)
# Subject words that ask for pets of any kind ("pets under $300").
ANY_PET = frozenset(words("pet, pets, animal, animals, critter, critters, anything, everything, companion"))
# Words that leave something out: "cats but not Siamese", "any dog except beagles", "no birds".
NEGATIONS = (
    r"not|no(?!\s*[,.;:!?])|non|never|without|except(?: for)?|excluding|exclude|other than|apart from"
    r"|aside from|anything but|everything but|all but|neither|nor|minus|instead of|rather than|besides"
    r"|(?:are|is|was|were|ai)n'?t"
    r"|(?:do not|don'?t|dont|do n'?t) (?:want|need|like|show|include)|hate|allergic to"
)
# Words that join the items of a list: "rabbits or guinea pigs", "cats, dogs and birds".
LIST_WORDS = frozenset(words("or, and, nor, either, neither, &, /, plus, as well as, and/or"))
# Words that may sit between "not" and what it leaves out: "not the beagles", "no more cats".
NEGATION_GAP = frozenset(words("a, an, the, any, more, of, those, these, some, that, such, kind, kinds"))
# Words that end the reach of "not": "no birds, just dogs".
CLAUSE_ENDS = frozenset(words("just, only, but, instead, show, want, need, like, prefer, please, however"))
# Who a pet is for, or where it will live: not a wish about the pet ("a fish for my desk").
FOR_WHOM = (
    r"for (?:my|our|the|a|an|his|her|their) (?:little |young |\d+ year old )?"
    r"(?:son|sons|daughter|daughters|kid|kids|child|children|family|wife|husband|partner|mom|mum|dad"
    r"|girlfriend|boyfriend|grandma|grandpa|grandmother|grandfather|niece|nephew|brother|sister|friend"
    r"|home|house|apartment|flat|desk|office|room|classroom)"
    r"(?:'?s (?:birthday|christmas|present|gift))?"
    r"|(?:for (?:a |her |his |my )?|as a )(?:birthday|christmas|present|gift)"
)
# Talk about the budget itself ("a bigger budget, up to $100"): the bound says it all.
BUDGET_TALK = r"(?:bigger|higher|larger|lower|smaller|tighter|new|different) (?:budget|price|limit)"
# A trait shown by how a pet gets on with others: "good with kids", "friendly with cats". The
# words are a wish the filters cannot hold, and the kind in them is not one asked for.
GETS_ON_WITH = (
    r"(?:good|great|friendly|fine|ok|okay|safe|gentle|calm|patient|gets? along|get on)"
    r" (?:with|around|towards?) (?:the |other |small |young |little )?[a-z]+(?: pigs?)?"
)

# Follow-ups ("how about rabbits?" after "dogs under $500"): the cues the keyword parser reads.
START_OVER = (
    r"start (?:over|again|afresh)|from scratch|forget (?:that|it|this|all that|everything|about it)"
    r"|never ?mind|scratch that|new search|reset|clear (?:that|it|everything|the filters)|instead(?! of)"
    r"|something else|anything else"
)
# "too" only at the end of what it adds ("cats too"), not in "too old"; a follow-up opening with "or"
# adds as well ("or persians?").
ALSO = r"also|too(?=\s*[.!?,;]|\s*$)|as well|in addition|and also|^\W*or"
ONLY = r"just|only|merely|solely"
# Anywhere in a question; "and", "but", "now" and the like only count at its start.
REFINE = r"how about|what about|what if|same|those|them|these|ones|any of (?:them|those)"
# Verbs that make a question stand on its own: "show me cats" after "dogs under $500" starts fresh.
ASKING = (
    r"show|find|get|give|list|see|want|need|looking|look for|search|do you have|have you got|got any"
    r"|you sell|sell|buy|adopt|i'?d like|i would like|interested in|recommend|suggest|tell me about"
    r"|are there|is there|do you carry|can i"
)
# "any price", "whatever age": a follow-up that lets go of a field.
ANY_PRICE = r"any price|any budget|whatever (?:the )?price|no (?:price |budget )?limit|price doesn'?t matter"
ANY_AGE = r"any age|whatever (?:the )?age|age doesn'?t matter"
ANY_BREED = r"any breeds?|all breeds|whatever breed|other breeds|breed doesn'?t matter"
ANY_KIND = r"any (?:kind|type)s?(?: of pets?)?|all (?:kinds|types)(?: of pets?)?|any pets?"
# "all pets", "everything", "anything under $50": start from no filters, keeping only what this turn says.
# Not "anything cheaper" (more of the same, in some way); "anything but cats" starts afresh too, but
# its "anything but" is a "not" (talk.NEGATIONS), so it is only looked for.
RESET = (
    r"(?:all|every one) of (?:the |your |them )?(?:pets|animals)|all (?:the |your )?(?:pets|animals)"
    r"|every (?:pet|animal)|everything(?! (?:but|except|other|else|cheaper|younger|older|similar|like))"
    r"|anything(?! (?:but|except|other|else|cheaper|younger|older|similar|like|less|more))"
)
RESET_BEFORE_NOT = r"(?:anything|everything) (?:but|except|other than)"
# "no, under $250", "actually, cats", "I meant Siamese": what follows replaces what it names.
CORRECTION = r"actually|i meant|i mean|meant|rather(?! than)|correction|make (?:that|it)|sorry,? i meant"
