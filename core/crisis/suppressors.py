"""Suppressors: well-known non-emergencies that keep a rule quiet, and the clause breaks
that keep them on a short leash (see docs/crisis-detection.md, Suppressors).
"""

from __future__ import annotations

import re

from core.crisis.model import any_of

# Suppressor groups. Where each one counts is decided in _Scanned.suppressed: the groups in
# _OVERLAP_ONLY must overlap the match itself ("overdose prevention"), the others must be in
# the match's clause and within SUPPRESSOR_WINDOW characters of it. So "he overdosed and I
# have no narcan kit" and "I lost a friend to an overdose last year he has a gun" still fire.
_INSTITUTIONAL = any_of([
    r"(?:overdoses?|overdosing|suicide|suicidal) (?:prevention|awareness|education|reversal|"
    r"response|trainings?|kits?|deaths?|rates?|statistics|stats|epidemic|crisis|data|research|"
    r"class|classes|workshops?|day|risk|ideation screening|screening)",
    r"(?:prevent|preventing|prevention of|reduce|reducing|fewer) (?:an |a |the |opioid |drug |"
    r"fatal )?(?:overdoses?|suicides?|overdosing)",
    r"(?:narcan|naloxone|overdose|suicide prevention) (?:training|class|workshop)",
    r"overdose (?:hotline|helpline|line|phone line) (?:number|for)",
    r"(?:whats|what is|number for|number of) the overdose (?:hotline|helpline|line)",
    r"(?:overdos\w*|od) on (?:coffee|caffeine|sugar|candy|chocolate|netflix|tv|memes|work|"
    r"pizza|cake)",
    r"overdose of (?:cuteness|cute|love|sunshine|fun|nostalgia|drama|memes|sugar|caffeine)",
])
_GRIEF = any_of([
    r"lost .{0,40}? to (?:an |a |his |her |their )?(?:overdoses?|suicide)",
    r"(?:died|dead|passed away|passed) (?:of|from|by|after) (?:an |a )?(?:overdose|suicide)",
    r"(?:committed|completed|died by|death by|lost \w+ to) suicide",
])
_PAST = any_of([
    r"(?:last|this past|past) (?:year|month|summer|winter|spring|fall|christmas|weekend)",
    r"(?:\d+|a|one|two|three|four|five|six|few|couple(?: of)?|many|several) (?:years?|months?|"
    r"weeks?) ago",
    r"years ago", r"in (?:19|20)\d\d", r"used to", r"in the past", r"back (?:when|in|then)",
    r"when i was (?:younger|a kid|a teen|a teenager|in high school|little|a child|using)",
    r"as a (?:kid|child|teen)", r"(?:a )?long time ago", r"a while (?:ago|back)",
    r"before i got (?:sober|into recovery|help)", r"(?:since|after) (?:my|his|her|an|the) "
    r"overdose", r"survived (?:an |my |a |his |her )?overdose", r"overdose survivor",
    r"at one point", r"(?:ive|i have|have|was|been) (?:been )?suicidal (?:before|in the past)",
])
_HYPOTHETICAL = any_of([
    r"if (?:someone|somebody|a person|people|you|your|a friend|anyone|a loved one)",
    r"if (?:he|she|they|i) (?:ever |ever were to |were to )?(?:overdose|overdoses)",
    r"in case (?:of|someone|somebody)", r"signs? of", r"symptoms of",
    r"how (?:do|can|would|should|will) (?:i|you|we|someone|people) (?:tell|know|spot|recognize|"
    r"prevent)",
    r"how to (?:tell|know|spot|recognize|prevent)",
    r"what (?:to do|do you do|should (?:i|you|we) do) (?:in|during|for|if|when)",
    r"what happens (?:if|when)", r"can (?:you|i|someone|people|u) (?:overdose|die)",
    r"is it possible to",
    r"not sure (?:if |whether |that )?(?:its|it is|it was|this is) (?:an |a )?overdose",
    r"(?:reduce|lower|avoid) (?:the )?(?:risk|chance)", r"at risk", r"never use alone",
])
_FEARED = any_of([
    r"(?:scared|afraid|worried|fear|risk|chance|terrified|nervous) (?:of|about) "
    r"(?:overdosing|an overdose|overdose|overdoses)",
    r"(?:scared|afraid|worried|fear|terrified|nervous)(?: that)? (?:\w+ ){0,3}(?:will|might|"
    r"could|would|is going to|going to|may) (?:overdose|die)",
])
_NEGATED = any_of([
    r"(?:not|never|no longer|isnt|arent|wasnt|nothing) (?:feeling |been |really |that )?"
    r"suicidal", r"no suicidal", r"(?:not|never) (?:in )?(?:a )?(?:crisis|suicide)",
    r"(?:dont|do not|didnt) (?:have|feel|mean) (?:any )?suicid\w*",
])
_PAST_RECURRING = any_of([
    r"again", r"coming back", r"came back", r"its back", r"back again", r"returned",
    r"returning", r"lately", r"these days", r"right now", r"tonight",
])
_RESPOND_CONTEXT = any_of([
    r"texts?", r"messages?", r"calls?", r"emails?", r"dms?", r"voicemails?", r"applications?",
    r"website", r"office", r"clinic", r"sponsor", r"caseworker", r"case manager", r"counselor",
    r"landlord", r"program", r"insurance", r"doctor", r"provider", r"therapist", r"facility",
    r"detox", r"(?:sober|recovery) house", r"treatment", r"medication", r"meds",
    r"suboxone", r"methadone", r"vivitrol",
])
_IDIOM_KILL = any_of([
    r"kill me (?:when|if|once|after|for) (?:(?:she|he|they|my \w+|mom|dad|i) )?(?:finds? out|"
    r"sees?|hears?|learns?|knows?|gets? home|found out)",
    r"(?:kill|murder) me (?:lol|lmao|haha|lmfao)", r"literally (?:kill|murder) me when",
    r"(?:kill|murder) me (?:if|when) i (?:miss|skip|relapse|use again|forget|am late|mess up|"
    r"slip|dont go|dont show|lose)",
    r"(?:kill|murder) me for (?:being late|forgetting|missing|losing|not calling|not texting)",
    r"hit(?:s|ting)? (?:me|us) up", r"beat (?:me|us) to it", r"hit (?:me|us) back",
    r"threaten\w* (?:me )?(?:with|to) (?:evict\w*|kick|discharge|court|report|call|take)",
])
_HOWTO = any_of([
    r"how (?:do|can|would|should) (?:i|you|we|someone|people)", r"how to", r"learn\w*",
    r"teach\w*", r"trainings?", r"class(?:es)?", r"where (?:can|do|could) (?:i|we|you)",
])

_SUPPRESSORS: dict[str, re.Pattern[str]] = {
    "institutional": _INSTITUTIONAL, "grief": _GRIEF, "past": _PAST,
    "hypothetical": _HYPOTHETICAL, "negated": _NEGATED, "respond_context": _RESPOND_CONTEXT,
    "idiom_kill": _IDIOM_KILL, "howto": _HOWTO, "feared": _FEARED,
}
#: These suppressors contain the crisis phrase itself ("overdose prevention", "kill me when
#: she finds out"), so they only count when they overlap the match. The others count when
#: they are in the same clause and within SUPPRESSOR_WINDOW characters of the match.
_OVERLAP_ONLY = frozenset({"institutional", "grief", "feared", "idiom_kill"})
SUPPRESSOR_WINDOW = 40

_OVERDOSE_WORD_SUPPRESSORS = ("institutional", "grief", "past", "hypothetical", "feared")

# Suppressors look only at the clause around a match. Chat messages often have no
# punctuation, so "and", "so", "then" and a new "i" also start a clause: "i lost a friend to
# an overdose last year i want to die" must not let "last year" silence "want to die".
_CLAUSE_BREAK = re.compile(
    r"[.!?;,]+|\b(?:but|and|so|then|plus|also)\b"
    r"|\s(?=(?:what|how|where|why|can you|can i|could i|is it|is there|are there|do you|"
    r"does|should i)\b)"
    r"|(?<!\bwhen)(?<!\bsince)(?<!\bbefore)(?<!\bafter)(?<!\bif)(?<!\bthat)(?<!\bbecause)"
    r"(?<!\bcause)(?<!\buntil)(?<!\btil)(?<!\bwhere)(?<!\bwhat)(?<!\bhow)(?<!\bwhy)"
    r"(?<!\bhe)(?<!\bshe)(?<!\bi)(?<!\bwhile)(?<!\bonce)(?<!\bthan)(?<!\bthink)(?<!\bsaid)"
    r"(?<!\bsays)(?<!\bknow)(?<!\bhope)(?<!\bwish)(?<!\bfeel)(?<!\bscared)(?<!\bafraid)"
    r"(?<!\bworried)\s(?=(?:i|im|my|he|hes|she|shes|they|theyre|someone|somebody|theres)\b)"
)
_CLAUSE_PUNCT = re.compile(r"[.!?;,]")
