"""ELM credential envelopes: a signed credential or an "uploadable" wrapper, unwrapped to the JSON-LD inside.

Europass and EDCI tools exchange an ELM credential as JSON-LD (`@context` first), as a signed envelope
`{"payload": "<the credential as a JSON string, or base64url of it>", "signatures": [...]}` (JAdES /
JWS JSON serialisation), or wrapped for upload as `{"credential": {...}}`. NQDB imports RDF, so an
envelope is recognised for what it is and the credential inside is imported, with a note saying so.
Signatures are not verified: NQDB publishes qualification specifications, not attested credentials.
"""

from __future__ import annotations

import base64
import binascii
import json

_MAX_WRAPPINGS = 3  # a signed credential inside an uploadable wrapper inside …: a few levels, never a loop


class EnvelopeInvalid(ValueError):
    """A credential envelope whose content is not a JSON object."""


def unwrap_credential(document: object) -> tuple[object, str | None]:
    """The credential inside a signed or uploadable envelope, and a note naming what was unwrapped.

    A document that is not an envelope comes back unchanged, with None.

    Raises:
        EnvelopeInvalid: the envelope's payload is not a JSON object.
    """
    unwrapped: list[str] = []
    for _ in range(_MAX_WRAPPINGS):
        kind = envelope_kind(document)
        if kind is None:
            break
        assert isinstance(document, dict)
        document = _payload(document) if kind == "signed" else document["credential"]
        unwrapped.append(kind)
    if not unwrapped:
        return document, None
    names = {"signed": "a signed credential (payload and signatures; the signatures were not verified)",
             "uploadable": "an uploadable credential wrapper ({\"credential\": …})"}
    return document, "unwrapped the ELM credential from " + ", then ".join(names[k] for k in unwrapped) + "."


def envelope_kind(document: object) -> str | None:
    """'signed', 'uploadable' or None for a JSON-LD document."""
    if not isinstance(document, dict) or "@context" in document:
        return None
    if isinstance(document.get("payload"), str) and isinstance(document.get("signatures"), list):
        return "signed"
    if isinstance(document.get("credential"), dict):
        return "uploadable"
    return None


def _payload(envelope: dict[str, object]) -> object:
    """The signed payload: a JSON string, or base64url-encoded JSON as JWS serialises it."""
    text = str(envelope["payload"]).strip()
    if not text.startswith("{"):
        try:
            text = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError, ValueError):
            raise EnvelopeInvalid("a signed credential whose payload is neither JSON nor base64url-encoded "
                                  "JSON; nothing to import.") from None
    try:
        credential = json.loads(text)
    except json.JSONDecodeError as error:
        raise EnvelopeInvalid(f"a signed credential whose payload is not valid JSON ({error.msg} at line "
                              f"{error.lineno}, column {error.colno} of the payload).") from None
    except RecursionError:
        raise EnvelopeInvalid("a signed credential whose payload is nested too deeply.") from None
    if not isinstance(credential, dict):
        raise EnvelopeInvalid("a signed credential whose payload is not a JSON object.")
    return credential
