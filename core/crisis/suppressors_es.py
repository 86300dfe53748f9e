"""Spanish suppressors: everyday Spanish that uses crisis words without a crisis.

Same leash as the English ones (see suppressors.py): the groups in OVERLAP_ONLY_ES contain
the crisis phrase itself ("prevención del suicidio", "me quiero morir de la risa") and count
only where they overlap the match; the others count in the match's clause, within
SUPPRESSOR_WINDOW characters. Text is normalized first (no accents: "prevencion").
"""

from __future__ import annotations

import re

from core.crisis.model import any_of

_INSTITUTIONAL_ES = any_of([
    r"(?:prevencion|prevenir|concientizacion|entrenamiento|capacitacion|taller|clase|kits?|"
    r"linea|numero|estadisticas|epidemia|crisis|grupo|programa) (?:de |del |de la |para |contra "
    r"|sobre )?(?:la |el |las |los |una |un )?(?:sobredosis|suicidio|suicidios)",
    r"(?:sobredosis|suicidio) (?:prevencion|entrenamiento|kits?|estadisticas)",
    r"sobredosis de (?:amor|cafe|azucar|netflix|chocolate|memes|series|trabajo|ternura)",
])
_GRIEF_ES = any_of([
    r"(?:perdi|perdimos|murio|murieron|fallecio|se murio|se nos fue|muerte) .{0,40}?(?:por|de|"
    r"en) (?:una |un |su )?(?:sobredosis|suicidio)",
    r"(?:murio|se murio|fallecio|muerte|murieron) (?:por|de) (?:una )?(?:sobredosis|suicidio)",
])
_PAST_ES = any_of([
    r"hace (?:\d+|un|una|unos|unas|dos|tres|cuatro|cinco|seis|varios|varias|muchos|muchas|"
    r"mucho) ?(?:anos?|meses|mes|semanas?|tiempo)?", r"hace (?:anos|meses)",
    r"el (?:ano|mes|verano|invierno) pasado", r"en (?:19|20)\d\d",
    r"antes (?:pensaba|tenia|queria|me|era|estaba)", r"ya no (?:pienso|tengo ganas|quiero) "
    r"(?:en eso|eso)",
    r"cuando (?:era|estaba) (?:joven|nino|nina|chico|chica|adolescente|usando)",
    r"(?:despues|desde) (?:de )?(?:mi|su|la|una|aquella) sobredosis",
    r"sobrevivi (?:a )?(?:una |mi )?sobredosis", r"hace tiempo", r"en el pasado",
])
#: Said to be happening now, so a past marker does not silence it. "hace dos años que me
#: quiero morir" is "I have wanted to die for two years": ongoing, not past.
_RECURRING_ES = any_of([
    r"otra vez", r"de nuevo", r"volvio", r"volvieron", r"ahorita", r"ahora mismo",
    r"esta noche", r"ultimamente", r"hace (?:\w+ ){1,2}que", r"desde hace",
])
_HYPOTHETICAL_ES = any_of([
    r"si (?:alguien|una persona|alguno|uno|tu|usted|un amigo|una amiga|mi \w+|el|ella)",
    r"que (?:hago|hacer|debo hacer|se hace|hace uno) (?:si|cuando|en caso)",
    r"en caso de", r"(?:senales|sintomas|signos) de", r"se puede (?:tener|morir|dar)",
    r"como (?:se sabe|saber|reconocer|prevenir|evitar|se previene)", r"es posible",
])
_FEARED_ES = any_of([
    r"(?:miedo|temor|preocupa\w*|asusta\w*|nervios\w*) (?:de |a )?(?:que )?(?:\w+ ){0,3}"
    r"(?:tener|tenga|tengo|le de|me de|sufrir|sufra) (?:una )?sobredosis",
    r"(?:miedo|temor) (?:a|de) (?:una )?sobredosis",
])
_NEGATED_ES = any_of([
    r"(?:no|nunca|ya no) (?:soy|estoy|me siento|tengo|he tenido|ando) (?:\w+ )?"
    r"(?:suicida|suicidas|pensamientos suicidas)",
])
_IDIOM_ES = any_of([
    r"(?:me|nos) (?:va|van) a matar (?:si|cuando) (?:llego|falto|se entera|se enteran|ve|ven|"
    r"sabe|saben|no llego|recaigo|pierdo|me tardo|no voy|se da cuenta|vea|vean|sepa|sepan|"
    r"llegue|se entere|se enteren)",
    r"(?:morir|muero|morirme|muera) (?:de|por) (?:la )?(?:risa|verguenza|hambre|sueno|frio|"
    r"calor|ganas|nervios|aburrimiento|sed|amor|miedo|envidia|cansancio|curiosidad)",
])
_RESPOND_CONTEXT_ES = any_of([
    r"mensajes?", r"llamadas?", r"textos?", r"correos?", r"telefono", r"celular",
    r"clinica", r"oficina", r"doctor", r"caseworker", r"trabajadora? social", r"consejer[oa]",
    r"programa", r"seguro", r"pagina", r"sitio", r"aplicacion", r"desde ayer",
])
_HOWTO_ES = any_of([
    r"como (?:se usa|usar|uso|dar|doy|le doy|se da|se aplica|aplicar|pongo|se pone)",
    r"aprender", r"entrenamiento", r"clases?", r"donde (?:consigo|puedo|hay|se consigue)",
])

SUPPRESSORS_ES: dict[str, re.Pattern[str]] = {
    "institutional": _INSTITUTIONAL_ES, "grief": _GRIEF_ES, "past": _PAST_ES,
    "hypothetical": _HYPOTHETICAL_ES, "feared": _FEARED_ES, "negated": _NEGATED_ES,
    "idiom": _IDIOM_ES, "respond_context": _RESPOND_CONTEXT_ES, "howto": _HOWTO_ES,
}
OVERLAP_ONLY_ES = frozenset({"institutional", "grief", "feared", "idiom"})
RECURRING_ES = _RECURRING_ES

#: Clause breaks: punctuation, "pero", "y", "entonces", and where a new clause starts. Spanish
#: often drops the subject, so a new clause also starts at "me"/"se"/"ya" or a first-person
#: verb: "mi abuelo murio hace cinco anos | me quiero morir" must not let "hace cinco anos"
#: silence "me quiero morir".
_NOT_AFTER = ("que", "si", "cuando", "porque", "de", "a", "con", "no", "lo", "la", "le", "me",
              "se", "te", "nos", "ya", "mas", "mi", "tu", "su")
CLAUSE_BREAK_ES = re.compile(
    r"[.!?;,]+|\b(?:pero|y|entonces|asi que|luego|tambien|aunque)\b|"
    + "".join(rf"(?<!\b{word})" for word in _NOT_AFTER)
    + r"\s(?=(?:yo|mi|ella|ellos|alguien|me|se|ya|tengo|estoy|quiero|voy)\b)"
)
