"""Passkeys (WebAuthn) with the `webauthn` package: a discoverable credential on the
person's own tablet, with user verification required (the tablet's fingerprint, face or
PIN). The relying party is the portal's public address (PORTAL_BASE_URL): its host is the
relying-party id and its scheme and host the only origin accepted.

The challenge waits in the visitor's session between the options and the answer, and is
used once (popped)."""

from __future__ import annotations

import hashlib
import hmac
import json
from urllib.parse import urlsplit

from flask import current_app, session
from sqlalchemy import select
from webauthn import (
    base64url_to_bytes,
    generate_authentication_options,
    generate_registration_options,
    options_to_json,
    verify_authentication_response,
    verify_registration_response,
)
from webauthn.helpers import bytes_to_base64url, parse_authentication_credential_json
from webauthn.helpers.exceptions import WebAuthnException
from webauthn.helpers.structs import (
    AuthenticatorSelectionCriteria,
    PublicKeyCredentialDescriptor,
    ResidentKeyRequirement,
    UserVerificationRequirement,
)

from portal.core.clock import utcnow
from portal.core.extensions import db
from portal.models import PasskeyCredential, User

REGISTER_KEY = "passkey_register"
SIGN_IN_KEY = "passkey_sign_in"
RP_NAME = "What Matters"


class PasskeyRefused(Exception):
    """The browser's answer did not prove what it should: nothing was changed."""


def relying_party() -> tuple[str, str]:
    """(relying-party id, expected origin) from the portal's public address."""
    parts = urlsplit(current_app.config["BASE_URL"])
    return parts.hostname or "", f"{parts.scheme}://{parts.netloc}"


def user_handle(user: User) -> bytes:
    """The same for every passkey of one account, and no name or number in the clear."""
    key = current_app.config["SECRET_KEY"].encode() if isinstance(
        current_app.config["SECRET_KEY"], str) else current_app.config["SECRET_KEY"]
    return hmac.new(key, f"passkey-user:{user.id}".encode(), hashlib.sha256).digest()[:32]


def registration_options(user: User, setup_code_id: int) -> str:
    rp_id, _origin = relying_party()
    existing = db.session.scalars(select(PasskeyCredential.credential_id).where(
        PasskeyCredential.user_id == user.id))
    options = generate_registration_options(
        rp_id=rp_id, rp_name=RP_NAME, user_id=user_handle(user),
        user_name=user.username, user_display_name=user.display_name,
        authenticator_selection=AuthenticatorSelectionCriteria(
            resident_key=ResidentKeyRequirement.REQUIRED,
            user_verification=UserVerificationRequirement.REQUIRED),
        exclude_credentials=[PublicKeyCredentialDescriptor(id=base64url_to_bytes(c))
                             for c in existing])
    session[REGISTER_KEY] = {"challenge": bytes_to_base64url(options.challenge),
                             "code": setup_code_id}
    return options_to_json(options)


def register(user: User, setup_code_id: int, answer: str) -> PasskeyCredential:
    waiting = session.pop(REGISTER_KEY, None) or {}
    if waiting.get("code") != setup_code_id or not answer:
        raise PasskeyRefused("no challenge for this set-up code")
    rp_id, origin = relying_party()
    try:
        verified = verify_registration_response(
            credential=answer, expected_challenge=base64url_to_bytes(waiting["challenge"]),
            expected_rp_id=rp_id, expected_origin=origin, require_user_verification=True)
    except (WebAuthnException, ValueError, KeyError, TypeError) as error:
        raise PasskeyRefused(str(error)) from error
    credential = PasskeyCredential(
        user_id=user.id, credential_id=bytes_to_base64url(verified.credential_id),
        public_key=verified.credential_public_key, sign_count=verified.sign_count)
    db.session.add(credential)
    return credential


def sign_in_options() -> str:
    rp_id, _origin = relying_party()
    # No list of credentials: the tablet offers the passkeys it holds (discoverable).
    options = generate_authentication_options(
        rp_id=rp_id, user_verification=UserVerificationRequirement.REQUIRED)
    session[SIGN_IN_KEY] = bytes_to_base64url(options.challenge)
    return options_to_json(options)


def signed_in_user(answer: str) -> User:
    """The account whose passkey made this answer, or PasskeyRefused."""
    challenge = session.pop(SIGN_IN_KEY, None)
    if not challenge or not answer:
        raise PasskeyRefused("no challenge")
    try:
        parsed = parse_authentication_credential_json(json.loads(answer))
    except (WebAuthnException, ValueError, KeyError, TypeError) as error:
        raise PasskeyRefused(str(error)) from error
    stored = db.session.scalar(select(PasskeyCredential).where(
        PasskeyCredential.credential_id == bytes_to_base64url(parsed.raw_id)))
    if stored is None or not stored.user.active:
        raise PasskeyRefused("unknown passkey")
    rp_id, origin = relying_party()
    try:
        verified = verify_authentication_response(
            credential=parsed, expected_challenge=base64url_to_bytes(challenge),
            expected_rp_id=rp_id, expected_origin=origin,
            credential_public_key=stored.public_key,
            credential_current_sign_count=stored.sign_count, require_user_verification=True)
    except (WebAuthnException, ValueError, KeyError, TypeError) as error:
        raise PasskeyRefused(str(error)) from error
    stored.sign_count = verified.new_sign_count
    stored.last_used_at = utcnow()
    return stored.user
