"""The web app's crisis reply in Spanish (the same parts as `web.crisis_text`'s English one).

Chosen when the crisis detector read the message with its Spanish rules
(`CrisisSignal.language == "es"`) or the conversation is known to be in Spanish. The 988
Lifeline's Spanish option (press 2 on a call, AYUDA by text) comes from the `spanish` object of
its entry in resources_db/seed/national_resources.json, with the page that says so; every
number comes from that file, none is typed here.
"""

from __future__ import annotations

from resources_db.national import line_by_key

PEER = "un especialista de apoyo entre pares, una persona real"


def _call(key: str) -> str:
    """'llama al 911'."""
    entry = line_by_key(key) or {}
    return f"llama al {entry.get('phone') or '911'}"


def lifeline_es() -> str:
    """'llama al 988 y oprime 2 para hablar en español, o envía AYUDA por mensaje de texto
    al 988' — from the Lifeline's entry (its Spanish option), else just the number."""
    entry = line_by_key("988") or {}
    phone, text = entry.get("phone"), entry.get("text")
    spanish = entry.get("spanish") or {}
    parts = []
    if phone:
        press = spanish.get("press")
        parts.append(
            f"llama al {phone}" + (f" y oprime {press} para hablar en español" if press else "")
        )
    if text:
        keyword = spanish.get("text_keyword")
        parts.append(
            f"envía {keyword} por mensaje de texto al {text}"
            if keyword
            else f"envía un mensaje de texto al {text}"
        )
    return ", o ".join(parts)


def steps_es(kind: str, subject: str = "unknown") -> str:
    """Qué hacer ahora, según el tipo de crisis y para quién."""
    call_911 = _call("emergency")
    if kind == "overdose":
        if subject == "self":
            return (
                f"Si tomaste demasiado, {call_911} ahora. No esperes a ver si se pasa. Si "
                "hay alguien cerca, díselo y pídele que se quede contigo. La naloxona "
                "(Narcan) puede revertir una sobredosis de opioides: si hay, pide que te "
                "la den."
            )
        if subject == "other":
            return (
                f"{_capital(call_911)} ahora. Dale naloxona (Narcan) si la tienes. Quédate "
                "con esa persona hasta que llegue la ayuda."
            )
        return (
            f"{_capital(call_911)} ahora. Usa naloxona (Narcan) si la tienes. Si eres tú, "
            "díselo a alguien cerca. Si es otra persona, quédate con ella hasta que llegue "
            "la ayuda."
        )
    if kind == "suicide":
        lifeline = lifeline_es()
        if subject == "other":
            return (
                f"Gracias por decírmelo. Por favor, {lifeline}: también ayudan a quienes se "
                "preocupan por otra persona. Si podría hacerse daño ahora mismo, "
                f"{call_911} y quédate con ella."
            )
        return (
            "Gracias por decírmelo. No tienes que pasar por esto sin ayuda. Por favor, "
            f"{lifeline} ahora: alguien responde a cualquier hora, de día o de noche. Si "
            f"podrías actuar según estos pensamientos ahora mismo, {call_911}."
        )
    if subject == "other":
        return f"Si alguien está en peligro ahora mismo, {call_911}."
    return (
        f"Tu seguridad es lo primero. Si estás en peligro ahora mismo, {call_911}. "
        "Las líneas de abajo también responden a cualquier hora."
    )


def after_es(context: str, position: int | None, peer_name: str | None) -> str:
    """Dónde está la persona ahora y qué puede hacer."""
    place = f"en el puesto {position} de la fila" if position else "en la fila"
    if context == "no_peer":
        return (
            f"Lo siento: ahora no hay {PEER} en línea. Este chat sigue abierto: puedes "
            "seguir escribiendo aquí y, si quieres esperar, estarás primero en la fila "
            "cuando alguien se conecte."
        )
    if context == "waiting_no_peer":
        return (
            "Ahora no hay ningún especialista de apoyo entre pares en línea, así que por "
            f"favor no esperes. Estás {place} para cuando alguien se conecte, y este chat "
            "sigue abierto: puedes seguir escribiendo y lo leerán al llegar."
        )
    if context == "overdue":
        return (
            "Lo siento, todavía nadie ha podido unirse, así que por favor no esperes. "
            f"Sigues {place}, y este chat sigue abierto: puedes seguir escribiendo y lo "
            "leerán al llegar."
        )
    if context == "waiting":
        return (
            f"Te pasé adelante: estás {place}, y un especialista de apoyo entre pares se "
            "unirá en cuanto pueda. Por favor, no esperes a que llegue para llamar."
        )
    if context == "with_peer":
        return f"{peer_name or 'Tu especialista'} también ve esto y sigue aquí contigo."
    if context == "assistant_down":
        return f"El asistente no puede responder ahora. También puedes hablar con {PEER}."
    return f"También puedes hablar con {PEER}."


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]
