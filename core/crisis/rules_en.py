"""The English crisis rules, checked in order; the first that fires decides the kind."""

from __future__ import annotations

from core.crisis.model import Rule, rule
from core.crisis.suppressors import _OVERDOSE_WORD_SUPPRESSORS

_PERSON = (r"(?:he|she|they|hes|shes|theyre|someone|somebody|husband|wife|boyfriend|"
           r"girlfriend|partner|dad|father|stepdad|mom|mother|brother|sister|ex|roommate|guy|man|"
           r"dude|woman|pimp|dealer|neighbor|son|daughter|uncle|cousin)")
_PILLS = (r"(?:pills|meds|medication|medicine|tablets|xanax|bars|percs|percocets?|oxys?|"
          r"oxycodone|tylenol|advil|benzos|klonopin|valium|sleeping pills|ambien|subs|"
          r"suboxone|methadone|gabapentin|seroquel)")
_KIN = (r"(?:son|daughter|friend|boyfriend|girlfriend|brother|sister|husband|wife|partner|"
        r"roommate|mom|dad|mother|father|cousin|uncle|aunt|nephew|niece|kid|child|baby|buddy|"
        r"grandson|granddaughter|fiance|fiancee)")
#: A cry for help next to a word for serious harm ("help hes bleeding", "911 hes dying").
_URGENT = (r"(?:hurry|asap|emergency|911|sos|right now|quick|somebody help|someone help|"
           r"please help|help help|help me|help us)")
_SERIOUS = (r"(?:dying|dead|bleeding|blood|gun|knife|stabbed|choking|unconscious|collapsed|"
            r"overdos\w*|suicid\w*|attack\w*|danger)")
#: "she beat me at cards": games and sports after a hurt verb.
_GAMES = (r" (?:at|in) (?:cards|chess|pool|checkers|poker|uno|monopoly|scrabble|basketball|"
          r"tennis|arm wrestling|video games|a race|the race|the game|(?:\w+ )?games?)")
_WEAPON = r"(?:gun|guns|knife|knives|weapon|pistol|rifle|shotgun|machete|blade|bat)"
_HURT_VERBS = (r"(?:hurting|hitting|beating|choking|strangling|attacking|raping|stabbing|kicking|"
               r"punching|slapping|hit|hits|beat|beats|choked|chokes|strangled|attacked|raped|"
               r"stabbed|kicked|punched|slapped|pushed|shoved|assaulted|hurt|hurts|threatened|"
               r"threatens|threatening|abuses|abused|abusing|strangles)")

#: Checked in order; the first rule that fires decides the kind. Overdose comes first (the
#: steps are the most time-critical), then danger, then suicide risk, then generic emergencies.
RULES: tuple[Rule, ...] = (
    # ---- overdose: signs that someone is dying now (never suppressed)
    rule("not_breathing", "overdose", [
        r"(?:not|isnt|arent|wasnt|stopped|stop|quit|barely|hardly|cant|no longer|isnt really|"
        r"not really|trouble|struggling|no) br(?:ea|e|ae)t?h(?:ing|e|ng)?",
        r"breathing (?:\w+ ){0,2}(?:slow|shallow|weird|funny|strange|slowed|wrong|faint)",
        r"gasping(?! for (?:a )?(?:job|bed|help))", r"eyes (?:rolled|rolling|are rolling) "
        r"(?:back|up)", r"slumped over",
        r"no (?:pulse|heartbeat|heart beat)", r"gurgling",
        r"cant (?:feel|find) (?:my|his|her|their|a) (?:heartbeat|heart beat|pulse)",
        r"snoring (?:sound|noise)",
        r"choking on (?:his|her|their) (?:own )?(?:vomit|puke|throw up)",
    ]),
    rule("wont_wake", "overdose", [
        r"(?<!\bi\s)(?<!\bim\s)(?<!hope\s)(?<!and\s)(?<!to\s)(?:wont|wouldnt|isnt|not|arent) "
        r"(?:wake|waking)(?: up)?(?! me| us| early| in time| on time)",
        r"(?:shake|shaking|shook|slapping|pinching|yelling at) (?:him|her|them)(?: \w+){0,3} "
        r"(?:and|but) (?:nothing|no response|he wont|she wont|they wont|hes not|shes not)",
        r"(?:not|isnt|wont) (?:answering|responding|reacting)(?: \w+){0,3} (?:shake|shaking|"
        r"shook)",
        r"(?:cant|cannot|couldnt) keep (?:him|her|them|my \w+) (?:awake|up|breathing|conscious)",
        r"(?:giving|gave|doing|did|started|start) (?:him |her |them |my \w+ )?"
        r"(?:rescue breath\w*|cpr|chest compressions)",
        r"found (?:him|her|them|my " + _KIN + r") (?:\w+ )?(?:on|in) (?:the|his|her|their|my) "
        r"(?:\w+ )?(?:floor|bathroom|car|bed|couch|yard)",
        r"(?<!\bi\s)(?:wont|wouldnt) wake",
        r"(?:cant|couldnt|unable to|trying to|tried to|try to|tryin to) wake (?:him|her|them|"
        r"my \w+|\w+ up)",
        r"cant get (?:him|her|them|my \w+) (?:to )?(?:wake|up|breath\w*|respond)",
    ]),
    rule("unresponsive", "overdose", [
        r"unresponsive", r"unconscious", r"not conscious", r"(?<!\bim\s)out cold",
        r"passed out and",
        r"(?:hes|shes|theyre|he|she|they|" + _KIN[3:] + r" (?:just )?(?:collapsed|passed out)",
        r"foaming at the mouth", r"not moving and",
        r"(?:im|i am|hes|shes|theyre|feel like im|i feel like im) (?:fading|slipping|blacking) "
        r"(?:out|away)",
        r"(?:somebody|someone|he|she|they|hes|shes|" + _KIN[3:] + r" (?:just )?(?:fell out|fell "
        r"over|went down|dropped)(?! with| of| the| about| over| out| off| by| me| his| her| in)",
        r"(?:shot|hit|used|did a line|did a shot|snorted|smoked|injected)(?: \w+){0,3} (?:and|"
        r"then) (?:dropped|fell out|fell over|went down|passed out|collapsed)",
        r"(?:wont|isnt|hasnt|not|wouldnt|didnt) (?:come|coming|came) out of (?:the|his|her|their) "
        r"(?:bathroom|restroom|stall)",
        r"(?:bathroom|restroom|stall)(?: \w+){0,4} (?:wont|isnt|not|wouldnt) (?:come out|coming "
        r"out|answer\w*|respond\w*|open\w*)",
        r"(?:in|locked in) the (?:bathroom|restroom|stall) (?:for )?(?:an hour|a long time|too "
        r"long|forever|\d+ (?:minutes|mins|hours)) (?:and|not|wont|isnt)",
        r"(?:hes|shes|theyre|he|she|they|friend|boyfriend|girlfriend|brother|sister|son|daughter|"
        r"husband|wife|partner|roommate|mom|dad|baby) (?:is |isnt |just )?(?:not|isnt|stopped|"
        r"wont stop|cant stop) (?:moving|shaking|twitching)",
    ]),
    rule("not_responding", "overdose", [
        r"(?:not|isnt|arent|wont|stopped|doesnt|didnt) (?:responding|respond|responsive)",
    ], ["respond_context", "past"]),
    rule("turning_blue", "overdose", [
        r"(?:lips|lip|face|skin|fingers|fingertips|nails) (?:are |is |r |look |looks |turning |"
        r"turned |going |gone |getting )?(?:all |a )?(?:blue|purple|gray|grey|pale blue|"
        r"(?:weird|strange|funny|bad|wrong|dark) colou?r)",
        r"(?:blue|purple|grey|gray) (?:lips|face|fingertips|nails)",
        r"turning (?:blue|purple|gray|grey)", r"cold and (?:blue|gray|grey|purple|stiff)",
        r"(?:hes|shes|theyre|he|she|they) (?:is |was |looks |turned |went |going |getting |gone |"
        r"all |is all |is turning )?(?:blue|purple|gray|grey)",
        r"(?:found|find|finding) (?:him|her|them|my \w+|\w+) (?:all )?(?:blue|purple|gray|grey|"
        r"slumped|cold and|not breathing|unconscious|unresponsive)",
    ]),
    rule("naloxone_failing", "overdose", [
        r"(?:narcan|naloxone)(?: spray| dose| shot)? (?:is |was |it )?(?:(?:isnt|not|didnt|"
        r"doesnt|wont|isnt) (?:working|work|helping|help|doing anything|do anything|doing nothing|"
        r"bringing|bring)|did nothing|does nothing|isnt doing)",
        r"(?:need|needs|get|bring|grab) (?:the |some )?(?:narcan|naloxone) (?:now|right now|asap|"
        r"quick|fast|immediately|hurry)",
        r"(?:second|another|2nd|third|more) (?:dose|spray) of (?:narcan|naloxone)",
    ]),
    rule("naloxone_given", "overdose", [
        r"(?:gave|give|giving|used|sprayed|spraying|hit|hitting|used the) (?:him|her|them|"
        r"my \w+|(?!myself |yourself |out |away |up )\w+) (?:with )?"
        r"(?:a |the |some |two |three |\d |another )?(?:narcan|naloxone)s?",
        r"(?:gave|used|sprayed) (?:the |some |a )?(?:narcan|naloxone) (?:on|to)",
        r"narcanned", r"(?:went|gone|going|nodded|nodding|slipping) back (?:out|under)"
        r"(?! to| for| with| and got| there| side| of)",
    ], ["howto", "past", "hypothetical"]),
    rule("too_much", "overdose", [
        r"(?:took|taken|did|done|used|shot|snorted|smoked|swallowed|ate|popped|dropped|injected|"
        r"shot up) (?:way |much |far )?to+ (?:many|much)(?! time| long| money| of my time)",
        r"(?:took|swallowed|ate|popped|downed|taken) (?:a |the |an |my |his |her )?(?:whole |"
        r"entire |full )?(?:bottle|handful|bunch|fistful|box|pack|lot|ton)(?: of)? (?:my |his |"
        r"her |the |\w+ ){0,2}" + _PILLS,
        r"(?:took|swallowed|ate|popped|downed|taken) (?:like |about |around |maybe |over |almost "
        r"|at least )?(?:all|\d{2,}|twenty|thirty|forty|fifty|"
        r"a hundred) (?:of )?(?:my |his |her |the |\w+ )?" + _PILLS,
        r"(?:swallowed|drank|ate) (?:some )?(?:bleach|poison|antifreeze|rat poison|drain cleaner)",
        r"(?:drank|drinking)(?: \w+){0,5} (?:and|then|plus|with) (?:took|taking|popped|popping)"
        r"(?: \w+){0,2} (?:pills|xanax|bars|benzos|percs|oxys?|klonopin|valium)",
    ], ["past", "hypothetical"]),
    rule("overdosing_now", "overdose", [r"overdosing"],
          ["institutional", "past", "grief", "feared"]),
    rule("overdose_word", "overdose", [r"overdosed", r"overdoses?"], _OVERDOSE_WORD_SUPPRESSORS),
    rule("od_typed_odd", "overdose", [
        r"(?:he|she|they|i|hes|shes|theyve|ive|someone|somebody|just|has|have|boyfriend|"
        r"girlfriend|friend|brother|sister|son|daughter|mom|dad|roommate|husband|wife|cousin|"
        r"partner|buddy|guy|girl) odd(?! (?:hours|jobs?|number|thing|things|question|feeling))",
    ], ["past", "hypothetical"]),
    rule("dying_now", "overdose", [
        r"(?:i think|pretty sure|i feel like) (?:hes|shes|theyre|my \w+ is|my \w+s) (?:dying|dead)",
        r"(?:hes|shes|theyre) (?:about to|going to) die",
        r"(?:is|hes|shes|im|theyre|been|keeps) having (?:a |another )?seizures?",
        r"having (?:a |another )?seizure (?:right now|now)",
        r"(?:is|hes|shes|im|started|keeps|theyre) (?:seizing|convulsing)",
    ], ["past"]),
    # ---- danger: violence, threats, weapons
    rule("threat_to_kill", "danger", [
        r"(?:hell|shell|theyll|hed|shed) (?:kill|hurt|shoot|stab|beat|murder|strangle|choke) "
        r"(?:me|us|my (?:kids?|children|baby|son|daughter))",
        r"(?:hands?|arms?|rope|belt|cord) (?:around|on|round) my (?:neck|throat)",
        r"(?:going to|trying to|try to|threaten\w* to|will|wants to|about to|coming to|"
        r"(?:says|said) (?:hes|shes|theyre|he|she|they|hell|shell|hed|shed)(?: going to| will|"
        r" would)?) (?:kill|hurt|shoot|stab|beat|murder|strangle|choke|rape) (?:me|us|my (?:kids?"
        r"|children|baby|son|daughter|family|mom|mother|wife|husband|partner|girlfriend|"
        r"boyfriend))",
    ], ["idiom_kill", "past"]),
    rule("being_hurt", "danger", [
        _PERSON + r" (?:is |are |keeps |keep |has been |have been |been |just |always |still |"
        r"started |is always |used to |would )?" + _HURT_VERBS
        + r" (?:me|us|my (?:kids?|children|baby|son|daughter|mom|mother|sister|brother|wife|"
        r"girlfriend|boyfriend|husband|friend|dad|father|grandma|grandmother))"
        r"(?! back| to it| with "
        r"(?:a |the |his |her )?(?:question|text|call|bill|fee|request|message)|" + _GAMES + ")",
        _PERSON + r" (?:is |are |keeps |keep |has been |have been |been |just |always |still |"
        r"started )?(?:beating|hitting|choking|strangling|stabbing|attacking|raping|kicking|"
        r"punching|slapping|hurting|abusing) (?:her|him|them|his \w+|her \w+|their \w+)"
        r"(?! up| back| off| out| to it|" + _GAMES + ")",
        r"(?:someone|somebody|a man|a guy|a car|he|she|they|theres someone) (?:is |are |keeps |"
        r"has been |been )?(?:following|stalking|chasing) (?:me|us)",
        r"(?:beating|hitting|wailing|whaling|putting hands) on (?:me|us)",
        r"put(?:ting|s)? (?:his|her|their) hands on (?:me|us|my (?:kids?|children|baby))",
        r"(?:dragged|dragging|drags|grabbed|grabbing|pulled|pulling|yanked) me by (?:my )?(?:hair|"
        r"neck|throat|arms?)",
        r"(?:somebody|someone|he|she|they|a guy|a man|theyve|" + _PERSON[3:] + r" (?:just )?"
        r"(?:shot|stabbed) (?:my|me|him|her|them|a|the|someone|somebody)(?! up| dope| heroin| "
        r"fent\w*| a (?:video|photo|picture|text|message|email|look|glance|smile|wink|line)| hoops|"
        r" pool| the breeze| up)",
        r"(?:threatening|threatened|threatens|stalking|abusing|assaulting|attacking|beating|"
        r"choking|strangling|raping) (?:me|us)(?! up| back| to it)",
        r"(?:being|getting|got|been|was just|just got|im being|were being|keep getting) "
        r"(?:beaten|beat up|beat|hit|attacked|abused|raped|assaulted|stabbed|shot|choked|"
        r"strangled|followed|stalked|trafficked|threatened|kidnapped|robbed|jumped|hurt)"
        r"(?! up| on| with (?:a |an |the )?(?:huge |big |large |\w+ )?(?:bill|fee|charge|fine|"
        r"ticket|question|lawsuit))",
        r"abusive (?:relationship|partner|boyfriend|girlfriend|husband|wife|ex|home|household|"
        r"parent|dad|mom)", r"domestic (?:violence|abuse)", r"sexually assaulted",
        r"raped me", r"\w+ raped",
    ], ["idiom_kill", "past"]),
    rule("weapon", "danger", [
        r"(?:someone|somebody|he|she|they|hes|shes|theyre|theres (?:a |some )?(?:guy|man|woman|"
        r"person|dude|people)|a (?:guy|man|woman|person|dude)|guy|man|dude|husband|boyfriend|"
        r"partner|ex|dad|brother|roommate|neighbor|dealer|my \w+)(?: \w+){0,5} "
        r"(?:has|have|had|got|with|"
        r"pulled|pulling|holding|waving|pointing|pointed|carrying|brought|grabbed|grabbing|is "
        r"holding|just pulled|has got) (?:out )?(?:a |an |his |her |their |the )?"
        + _WEAPON + r"(?! charge| license| permit| case| conviction| possession| safe| lock)",
        r"(?:gun|knife) (?:to|at|in) my (?:head|face|chest|throat|neck)",
        r"(?:pointing|pointed|aiming|aimed) (?:a |the |his |her )?(?:gun|knife|weapon) at",
        r"shots? fired", r"active shooter", r"gunshots?", r"gun shots?",
        r"theres (?:a |some )?shooting",
        r"(?:theres|there has|there have) been (?:a )?shootings?",
        r"(?:bullets|shots) (?:flying|everywhere)",
        r"(?:someone|somebody|people|theyre|hes|shes|theres someone|someones) (?:is |are )?"
        r"shooting(?! up| dope| heroin| fent\w*| meth| drugs| coke| speed| it)",
    ], ["past"]),
    rule("not_safe", "danger", [
        r"(?:im|i|were|we|me|my (?:kids?|children|baby)|kids|children) (?:am |are |is )?(?:not|no "
        r"longer|never) safe(?! to)",
        r"(?:dont|do not|never|no longer) feel safe", r"feel(?:ing)? unsafe",
        r"unsafe (?:here|at home|right now)",
        r"not safe (?:here|at home|right now|anymore|with (?:him|her|them)|in (?:my|this|the) "
        r"(?:house|home|apartment|place))",
        r"(?:scared|afraid|fear|fearing|fearful|terrified) for my (?:life|safety)",
        r"(?:im|i am) (?:scared|afraid|terrified) of (?:him|my (?:husband|boyfriend|partner|ex|dad|"
        r"stepdad|pimp|wife|girlfriend|roommate))",
        r"wont let me (?:leave|go|out)",
        r"throw\w* (?:things|stuff|\w+) at (?:me|us|my (?:kids?|children|baby))",
        r"(?:im|i am|were|we are) hiding (?:from|in)(?! plain sight)",
        r"(?:broke|breaking|break|kicking|kicked|kick|busting|busted|bust|banging on|pounding on)"
        r" (?:down |in )?"
        r"(?:the |my |our )?door(?: down| in)?",
        r"locked me in", r"kidnapp?ed", r"held (?:me )?(?:hostage|against my will)",
        r"trafficking me",
        r"(?:a man|a guy|people|theyre|" + _PERSON[3:] + r" (?:is |are |just )?(?:breaking|"
        r"broke|trying to break) in(?:to)?",
        r"threaten\w* to (?:kill|hurt|shoot|stab|beat|take) (?:her|him|them|my|the|people|"
        r"everyone|someone|us|me)", r"threatening (?:people|everyone|someone|us|the staff)",
        r"(?:hes|shes|theyre|he is|she is) (?:dangerous|violent|armed|out of control)",
        r"(?:get away|escape|run away|hide) from (?:him|her|them|my (?:husband|boyfriend|partner|"
        r"ex|wife|girlfriend|dad|stepdad|father|pimp|roommate))",
        r"(?:want|going|about|plan\w*|trying) to (?:kill|hurt|shoot|stab) (?:someone|somebody|"
        r"people|everyone)",
    ], ["past"]),
    # ---- suicide risk and self-harm
    rule("kill_myself", "suicide", [
        r"kil+(?:ing|ed)? myself",
        r"(?:end|ending|take|taking|took) (?:my|my own) (?:life|lives)(?! back| in| into| one|"
        r" seriously| day| over)",
        r"end (?:it all|it tonight|everything|things tonight|it now|my suffering)",
        r"(?:want|going|need|ready|plan|planning|thinking about|thinking of|think about|"
        r"thought about|gonna|about) (?:to )?end(?:ing)? (?:it|things|everything)(?! with| off)",
        r"to end (?:it|things|everything)(?! with| off| for| between)",
        r"(?:saved|saving|stockpiled|stockpiling|hoarding|hoarded) (?:up )?(?:pills|meds)",
        r"(?:pills|meds) (?:saved|stockpiled|hoarded|stashed) up",
        r"(?:going to|gonna|about to|wants to|threatening to|threatens to|says (?:hes|shes|"
        r"theyre) going to) jump(?=\s*$| off| from)",
        r"(?:shoot|hang|drown|stab|poison|kil+) myself",
        r"(?:sleep|asleep) and (?:not|never) wake up",
        r"way out (?:is |except |but |besides |other than )(?:dying|death|suicide|killing myself|"
        r"to die)", r"(?:see|is|theres|there is) no (?:way out|way forward)(?! of| from| for)",
        r"(?:drive|crash|driving|crashing|drove) (?:my |the )?(?:car |truck )?(?:into|off) (?:a |"
        r"the )?(?:wall|tree|bridge|pole|cliff|traffic|river|lake|oncoming)",
        r"ways to (?:die|kill (?:myself|yourself)|end (?:it|my life)|commit suicide)",
        r"last time (?:you|anyone|anybody)(?:ll| will)? (?:hear from|see|talk to) me",
        r"(?:you|nobody|no one)(?:ll| will) never (?:hear from|see) me again",
        r"(?:im|i am|ill|i will|going to) end(?:ing)? it(?! with| off| for| between| now with)",
        r"tired of (?:living|being alive|life|existing)(?! in| at| with| like| on| here| there|"
        r" out| paycheck)",
        r"(?:the |a |my )?(?:rope|noose) (?:is )?(?:ready|set up|tied|up)",
        r"(?:got|have|bought|found) (?:the |a )?(?:rope|noose)",
        r"tonight is the night(?! (?:i|we) (?:go|start|get|try|quit|stop|call|check|make|finally))",
        r"(?:im|i am) done for good(?! with (?:drugs|using|drinking|alcohol|heroin|fent\w*|meth|"
        r"pills|dope|it|that|this|them|him|her))",
        r"(?:letters?|notes?|messages?|texts?) (?:\w+ ){0,4}(?:to say|saying) goodbye",
        r"(?:found|read|saw|finds) my (?:suicide |goodbye )?note",
        r"took (?:my|the) (?:pills|meds|gun|guns|knife|knives) away",
        r"(?:standing|sitting|im|i am) on (?:the |a |this )?(?:bridge|ledge|roof|edge|overpass|"
        r"railroad tracks|train tracks|tracks)",
        r"(?:planning|plan|planned|figured out|figuring out|decided) (?:how|when) (?:to|i will|"
        r"im going to|ill) (?:do it|end it|die)",
        r"kil+(?:ing|ed|s)? (?:herself|himself|themselves|themself)",
        r"(?:shot|shoot|shoots|hanged|hung|hang|hangs|hanging|cut|cuts|cutting|stabbed|stab|hurt|"
        r"hurting|harmed|harming|poisoned|drowned|strangled) (?:herself|himself|themselves|"
        r"themself)(?! up| in the foot)",
        r"(?:use|using|turn|turning) (?:it|a gun|the gun|a knife|the knife) on myself",
        r"bought (?:a )?rope", r"(?:tie|tied|tying|make|made) a noose",
        r"(?:jump|jumping) (?:off|in front of) (?:a |the |this |that )?(?:bridge|building|roof|"
        r"train|car|cliff|balcony|overpass)",
        r"overdose on purpose",
        r"(?:take|taking|swallow|swallowing) (?:all (?:of )?(?:my|the)|every(?: single)?) "
        r"(?:pills?|meds)",
        r"(?:easiest|best|quickest|painless|fastest|easy|quick|surest) ways? to (?:die|kill "
        r"(?:yourself|myself)|end it|end my life)",
        r"how (?:to|do you|do i|can i|can you|would i) kill (?:yourself|myself)",
        r"how (?:many|much) (?:\w+ ){0,3}(?:would|will|does it take to|to) kill (?:me|you|"
        r"someone|a person)",
    ], ["past"]),
    rule("self_harm", "suicide", [
        r"(?:hurt|hurting|harm|harming|cut|cutting|burn|burning|hit|hitting|starve|starving) "
        r"myself", r"self\s*harm\w*", r"cutting again",
    ], ["past"]),
    rule("want_to_die", "suicide", [
        r"(?<!dont\s)(?<!never\s)(?<!didnt\s)(?<!not\s)(?<!doesnt\s)want(?:ed|s)? (?:to )?"
        r"(?:di+e(?! sober| clean| in recovery| of old age| old| a natural)|dye(?! \w))",
        r"(?:im|i am|im so|im just) done with (?:life|living|everything|it all|this life|"
        r"being alive)",
        r"off myself", r"(?:theres |there is )?no point (?:anymore|in anything|in trying anymore)",
        r"(?:ill|i will|im going to|im gonna) be dead (?:soon|by|tomorrow|tonight)",
        r"make it through (?:tonight|the night)",
        r"(?:not|wont|dont think ill|dont think i will) make it (?:to|til|until|till) (?:morning|"
        r"tomorrow)",
        r"wish (?:i|i was|i were|i could) (?:was |were |just )?(?:dead|die|disappear forever)",
        r"(?:want|going|need) to (?:just )?disappear forever",
        r"wish i could (?:just )?(?:disappear|vanish|not exist|stop existing|sleep forever)",
        r"(?:want|wanted|wish|going) to (?:just )?(?:stop existing|not exist|not be alive)",
        r"(?:hope|wish) i (?:dont|never|wont|wouldnt|didnt) wake up",
        r"wish (?:i|id) (?:wasnt|werent|was never|had never been|never was|never been) (?:born|"
        r"alive|here|around)",
        r"(?:dont|do not) want to (?:be alive|live|be here|exist|wake up|go on living|be around)"
        r"(?! like| this way| that way| in| with| there| at| on| near| around here| early)",
        r"better off (?:dead|without me|if i (?:was|were|wasnt|werent) (?:gone|dead|here|around))",
        r"(?:no|not any|isnt any|theres no|dont have a|dont have any|dont see (?:a|any)) "
        r"(?:reason|point) (?:to|in|for) (?:live|living|go on|going on|keep going|keep living|"
        r"be alive|"
        r"being alive|wake up|waking up|me to live)",
        r"nothing (?:left )?to live for",
        r"(?:life|living) (?:isnt|is not|not) worth (?:it|living)",
        r"not worth living", r"rather (?:be )?dead", r"(?:id|i would) rather die",
        r"feel like dying",
        r"(?:think|thinking|thought|dream|dreaming) (?:about|of) (?:dying|being dead|not being "
        r"(?:here|alive)|not waking up|killing myself|ending it)",
        r"want to (?:just )?be gone", r"(?:im|i am) ready to die",
        r"(?:want|wish) (?:it|this|everything) (?:all )?(?:to )?(?:end|be "
        r"over)(?! soon| already)", r"want it all to end", r"sleep forever", r"never wake up",
        r"whats the point (?:of|in) (?:living|life|going on|anything|being alive)",
        r"cant go on(?! methadone| suboxone| medication| meds| vivitrol| a| the| my| that| this|"
        r" with| to| line| any)",
        r"cant (?:do this|take it|take this|keep going|live like this|handle this|keep living) "
        r"anymore", r"cant keep (?:living|going like this)",
        r"goodbye forever", r"final goodbye", r"this is (?:my )?goodbye",
        r"saying (?:my )?goodbyes? to (?:everyone|everybody|you all|yall)",
        r"(?:wont|will not|not going to) be (?:here|around|alive) (?:tomorrow|much longer|anymore|"
        r"by morning|next week)",
        r"(?:nobody|no one|noone) (?:would|will|is going to) (?:even |really |ever )?(?:care|"
        r"miss me|notice)"
        r"(?: \w+)? if i (?:die|died|was gone|were gone|disappeared|killed)",
        r"(?:write|wrote|writing|left) (?:a |my )?(?:suicide|goodbye) (?:note|letter)",
    ], ["past"]),
    rule("suicidal", "suicide", [r"suicidal", r"suicide"],
          ["institutional", "grief", "past", "negated"]),
    # ---- generic emergency (lowest priority)
    rule("bleeding", "danger", [
        r"(?:bleeding|bleeds) (?:a lot|badly|bad|everywhere|heavily|out|so much|wont stop|"
        r"really bad)", r"(?:im|hes|shes|theyre|is|were|i am) bleeding",
        r"(?:lots?|so much|a ton) of blood", r"blood everywhere", r"losing (?:a lot of )?blood",
    ], ["past"]),
    rule("urgent_and_serious", "danger", [
        _URGENT + r"(?: \w+){0,4} " + _SERIOUS, _SERIOUS + r"(?: \w+){0,4} " + _URGENT,
    ], ["past", "institutional", "grief", "hypothetical"]),
    rule("emergency", "danger", [
        r"(?:call|calling|called|dial|dialing|dialed|phone) (?:911|9 1 1|an ambulance|the police|"
        r"the cops|emergency services)",
        r"(?:need|send|get|want) (?:an |a )?(?:ambulance|paramedics?|emts?)",
        r"(?:its|this is|we have|i have|having|theres) an? (?:medical )?emergency",
        r"medical emergency",
    ]),
)

