"""Masking personal data shown on public pages, printed certificates and admission tickets.

A public record must let a holder recognise their own certificate and an employer
compare it with the ID card in front of them, without publishing the number itself.
"""


def mask_document_number(number: str) -> str:
    """``110105199003071234`` → ``110***********1234``; short numbers keep 2 + 2."""
    number = (number or "").strip()
    if len(number) >= 10:
        head, tail = 3, 4
    elif len(number) >= 6:
        head, tail = 2, 2
    else:
        return "*" * len(number)
    return number[:head] + "*" * (len(number) - head - tail) + number[-tail:]


def mask_phone(phone: str) -> str:
    """``13812345678`` → ``138****5678``; ``+85291234567`` → ``+852*****67``."""
    phone = (phone or "").strip()
    if not phone:
        return ""
    if phone.startswith("+"):
        if len(phone) <= 6:
            return "+" + "*" * (len(phone) - 1)
        return phone[:4] + "*" * (len(phone) - 6) + phone[-2:]
    if len(phone) < 7:
        return "*" * len(phone)
    return phone[:3] + "*" * (len(phone) - 7) + phone[-4:]
