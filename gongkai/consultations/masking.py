"""Personal data masked before something the public wrote is shown to the public (security.md:
never in public pages). Shared by comments, questions, interview questions and topic proposals."""

from gongkai.core.scan import Confidence, Kind, mask, scan_text


def masked_name(name: str) -> str:
    """A name with all but its first character starred; empty for no name."""
    name = name.strip()
    return mask(Kind.PERSON_NAME, name) if name else ""


def masked_for_public(text: str, *, own: tuple[str, ...] = ()) -> str:
    """``text`` with every personal-data finding of the pre-scan (certain or guessed) replaced by
    its masked form, and the writer's own name and contact (``own``) starred wherever they
    appear. Secrecy marks and company credit codes are not personal data and stay."""
    findings = [
        f
        for f in scan_text(text)
        if f.kind != Kind.SECRECY_MARK and f.confidence in (Confidence.HIGH, Confidence.LOW)
    ]
    out, last = [], 0
    for f in findings:
        out.append(text[last : f.start])
        out.append(mask(f.kind, f.text))
        last = f.end
    out.append(text[last:])
    result = "".join(out)
    for value in own:
        value = value.strip()
        if len(value) >= 2 and value in result:
            result = result.replace(value, value[:1] + "*" * (len(value) - 1))
    return result
