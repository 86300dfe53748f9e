"""The Spanish crisis rules, checked in order; the first that fires decides the kind.

Written over normalize_es text: lower case, no accents ("tomó" -> "tomo", "daño" -> "dano"),
misspellings folded ("kiero" -> "quiero"). Regional forms are alternatives in the rules
("aventarme" and "tirarme", "balacera" and "balazos", "fierro" and "pistola"). Idioms that
use the same words ("me muero de risa", "me mata el tráfico", "estoy muerto de cansancio")
match no rule, or are suppressed (suppressors_es.py).
"""

from __future__ import annotations

from core.crisis.model import Rule, rule

_KIN = (r"(?:hijo|hija|amigo|amiga|novio|novia|esposo|esposa|marido|pareja|mama|papa|madre|"
        r"padre|hermano|hermana|primo|prima|tio|tia|vecino|vecina|bebe|compa|companero|"
        r"companera|roomie|cunado|cunada|sobrino|sobrina|nieto|nieta)")
_PILLS = (r"(?:pastillas|medicinas|medicamentos|tabletas|xanax|oxis|percocet|tylenol|"
          r"pastillas para dormir|clonazepam|rivotril|suboxone|metadona)")
_DRUGS = (r"(?:fentanilo|heroina|pastillas|droga|drogas|perico|cristal|coca|cocaina|"
          r"dosis|xanax|oxis|chiva|cura)")
_WEAPON = (r"(?:pistola|arma|cuchillo|navaja|machete|rifle|escopeta|fierro|cuerno de chivo|"
           r"revolver|bate)")
_ATTACKER = (r"(?:el|ella|ellos|alguien|un hombre|un tipo|un senor|un vato|una persona|"
             r"mi ex|mi " + _KIN[3:] + r")")

RULES_ES: tuple[Rule, ...] = (
    # ---- sobredosis: señales de que alguien se está muriendo ahora (sin supresores)
    rule("no_respira", "overdose", [
        r"(?:no|casi no|ya no|apenas|sigue sin|dejo de) (?:esta )?respira\w*",
        r"no (?:puedo|puede) respirar", r"respira (?:muy )?(?:raro|lento|poquito|feo)",
        r"no tiene pulso", r"espuma (?:en|por) la boca", r"(?:le dio|tiene|tuvo) una convulsion",
        r"(?:esta|se puso a|empezo a) convulsionar?\w*",
    ]),
    rule("no_despierta", "overdose", [
        r"no (?:se )?despierta(?! (?:temprano|a tiempo|para)\b)",
        r"no (?:lo|la|los|le) (?:puedo|podemos|pudimos|puedo hacer) despertar",
        r"no (?:reacciona|responde)(?! (?:el|la|mis|a mis|mi|los|las|me) )",
        r"(?:esta|quedo|se quedo) (?:inconsciente|desmayad[oa] y)",
        r"inconsciente",
    ], ["respond_context"]),
    rule("morado", "overdose", [
        r"(?:labios|cara|dedos|unas) (?:\w+ )?(?:morad|azul|gris)\w*",
        r"se (?:puso|esta poniendo|pone|esta poniendo todo) (?:morad[oa]|azul|gris)",
    ]),
    rule("narcan_es", "overdose", [
        r"(?:narcan|naloxona) no (?:funciona|funciono|sirve|sirvio|hace nada|hizo nada)",
        r"(?:le|les) (?:dimos|di|puse|pusimos|echamos|eche|dieron) (?:el |un |una |la )?"
        r"(?:narcan|naloxona)",
        r"necesito (?:el )?(?:narcan|naloxona) (?:ya|ahora|ahorita|rapido|urgente)",
    ], ["howto", "past", "hypothetical"]),
    rule("demasiado_es", "overdose", [
        r"(?:tome|tomo|trague|trago|me tome|se tomo|me trague|se trago|se metio|me meti) "
        r"(?:muchas|demasiadas|todas (?:las|mis|sus)|un monton de|un frasco|un bote|una caja|"
        r"un punado|\d{2,}) (?:\w+ ){0,2}?" + _PILLS,
        r"(?:me|se) (?:tome|tomo|trague|trago) (?:un |una )?(?:frasco|bote|caja) (?:\w+ )?de",
        r"(?:tome|tomo|trague|trago|bebi|bebio|me tome|se tomo|se trago) (?:el |un poco de |"
        r"poquito de )?(?:cloro|veneno|anticongelante|raticida|lejia|clorox)",
        r"(?:use|uso|me meti|se metio|me inyecte|se inyecto|fume|fumo) (?:demasiad[oa]|"
        r"muchisimo|mucho)(?! (?:tiempo|dinero|en|a|con)\b)",
        r"tome demasiad[oa]s?", r"me pase (?:de|con) (?:la )?(?:dosis|fentanilo|pastillas)",
        r"se (?:le|me) fue la mano con (?:el |la |las |los )?" + _DRUGS,
    ], ["past", "hypothetical"]),
    rule("sobredosis", "overdose", [r"sobredosis"],
         ["institutional", "grief", "past", "hypothetical", "feared"]),
    # ---- peligro: violencia, amenazas, armas
    rule("amenaza_es", "danger", [
        r"(?:me|nos) (?:quiere|quieren|va a|van a|trata de|trato de|intento|amenazo con|"
        r"amenaza con) (?:matar|ahorcar|apunalar|disparar|violar)",
        r"(?:me|nos) amenazo (?:de muerte|con (?:matarme|un|una|el|la))",
        r"(?:miedo|temor) (?:de )?que me (?:mate|lastime|pegue|haga algo)",
        r"(?:quiere|quieren|va a|van a|trata de|trato de|intento|amenazo con|amenaza con|"
        r"amenazando con) (?:matarme|matarnos|ahorcarme|violarme)",
    ], ["idiom", "past"]),
    rule("golpes_es", "danger", [
        r"me (?:esta |estan |sigue )?(?:pegando|golpeando|ahorcando|lastimando|violando)",
        r"me (?:pega|golpea|golpeo|ahorco|violo|violaron|apunalaron|dispararon|lastimo)\b",
        r"me pegaron(?! (?:un|una) (?:chicle|susto|sticker|etiqueta|calcomania|gripa|gripe))",
        r"(?:le|les) (?:esta |estan )?(?:pegando|golpeando|dispararon|disparo|pegaron|"
        r"golpearon)(?: a (?:mi|su|el|ella|la|los))?", r"apunalaron a",
        r"me (?:estan |esta )?siguiendo",
        r"no me deja (?:salir|irme|ir)(?! (?:temprano|antes)\b)",
        r"me tiene encerrad[oa]", r"violencia domestica",
        r"(?:rompiendo|tumbar|tumbando|patear|pateando|quiere romper|golpeando) la puerta",
    ], ["past"]),
    rule("arma_es", "danger", [
        r"(?:tiene|trae|saco|sacaron|con) (?:una |un |su |el |la )?" + _WEAPON
        + r"(?! (?:de juguete|de agua|de la cocina)\b)",
        r"(?:me|nos) apunto con", r"(?:pistola|arma) en la cabeza",
        r"(?:estan|estaban|andan) disparando", r"(?:hay|se oyen|escucho|oigo) (?:unos )?(?:balazos|"
        r"disparos|balacera)", r"balacera",
    ], ["past"]),
    rule("no_seguro_es", "danger", [
        r"no (?:estoy|me siento) segur[oa](?! (?:de|si|que|con el seguro)\b)",
        r"(?:miedo|temor) por mi vida",
    ], ["past"]),
    # ---- suicidio y autolesión
    rule("matarme", "suicide", [
        r"(?:me quiero|me voy a|quiero|voy a|pienso en|pensando en|ganas de|se quiere|se va a|"
        r"intento|intento de) (?:matar|suicidar|quitar la vida|colgar|ahorcar)(?:me|se)?"
        r"(?! (?:de|estudiando|trabajando|el|la|los|las|ropa)\b)",
        r"(?:suicidarme|suicidarse|quitarme la vida|quitarse la vida|matarse)",
        r"(?:acabar|terminar) con (?:todo|mi vida)(?! (?:el|lo|la|los)\b)",
        r"pegar(?:me|se)? un tiro",
        r"(?:darme|echarme|meterme|me voy a dar|me voy a echar|me quiero dar|me quiero echar) "
        r"un (?:tiro|balazo)(?! (?:a la|al|de)\b)",
        r"mejor me mato",
        r"(?:aventar|tirar|lanzar)(?:me|se)? (?:del|de un|de la|desde el|al|a las) "
        r"(?:puente|edificio|techo|azotea|balcon|tren|metro|vias)",
        r"(?:estoy|ando) (?:en|arriba del) (?:el )?(?:puente|techo|azotea|borde)",
        r"(?:ya )?tengo (?:la|una) (?:soga|cuerda)", r"encontre a mi \w+ colgad[oa]",
        r"(?:tomar|tomarme) todas (?:las|mis) pastillas",
        r"pastillas guardadas", r"(?:me|se) (?:corte|corto|cortaron) las venas",
        r"(?:cortarme|cortar las venas|me estoy cortando|se esta cortando|quiero cortarme)",
        r"(?:hacerme|me quiero hacer|me voy a hacer|me hago) dano",
        r"(?:lastimarme|me quiero lastimar|me voy a lastimar)",
    ], ["past"]),
    rule("morir_es", "suicide", [
        r"(?<!no\s)(?:me |se |ya me |ya se )?(?:quiero|quiere|voy a|va a) morir(?:me|se)?",
        r"(?<!no\s)quiero morirme",
        r"no aguanto (?:mas )?(?:la vida|vivir)",
        r"ya no (?:quiero|quiere|aguanto) (?:vivir|existir|estar aqui|estar viv[oa]|"
        r"seguir viviendo)(?! (?:asi|en|con|de|aqui en)\b)",
        r"no quiero (?:vivir mas|seguir)(?! (?:usando|tomando|bebiendo|fumando|en|con|asi|"
        r"esperando|aqui)\b)",
        r"no (?:aguanto|puedo) mas(?! (?:con|el|la|este|esta|de|que)\b)",
        r"no vale la pena (?:seguir )?vivi\w*", r"mejor me muero", r"mejor muert[oa]",
        r"(?:irme|me quiero ir|me voy a ir) de este mundo",
        r"(?:quiero|quisiera|voy a|me voy a|me quiero) (?:colgar los tenis|estirar la pata|"
        r"petatear(?:me)?)",
        r"(?:quiero|quisiera) dejar de existir",
        r"no quiero (?:volver a )?despertar(?:me)?(?! (?:temprano|tan temprano|a las)\b)",
        r"despedir(?:me)? de todos para siempre",
        r"(?:seria|estarian?|estaria) mejor (?:si me muriera|sin mi)",
        r"nadie me (?:extranaria|va a extranar|extrana\w*) si me muero",
        r"(?:ojala|quisiera|quiero) (?:dormir y )?no despertar",
        r"desaparecer para siempre", r"me quiero ir para siempre",
        r"(?:razon|motivo|por que|para que) (?:para )?vivir", r"sentido a la vida",
        r"cansad[oa] de (?:vivir|la vida|estar viv[oa]|existir)", r"me canse de vivir",
        r"(?:carta|mensaje|nota) de despedida", r"(?:esta es mi|mi ultima) despedida",
        r"adios para siempre",
    ], ["idiom", "past"]),
    rule("suicida_es", "suicide", [r"suicid(?:io|a|as|arme|arse|arte|ar|o)"],
         ["institutional", "grief", "past", "negated"]),
    # ---- emergencia general
    rule("emergencia_es", "danger", [
        r"(?:llamen|llama|llamar|llamo|llame|marquen|marca) (?:al |a la |a una )?(?:911|policia|"
        r"ambulancia)", r"(?:necesito|necesitamos|manden|mande) (?:una )?ambulancia",
        r"es (?:una )?emergencia", r"(?:esta|estoy|estamos|estan) sangrando",
    ]),
)
