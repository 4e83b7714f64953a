"""A passkey as the second step (WebAuthn, with the `webauthn` package, as a person's
tablet uses in portal/signin/passkeys.py: the same relying party, user handle and stored
credentials). The differences, and why:

- It is not discoverable (resident key discouraged) and the sign-in asks for this
  account's own credentials only: it comes after the password, never in place of it, so
  "Sign in with my tablet" (which lists no accounts) never offers it.
- User verification is preferred, not required: the passkey is the second thing the
  person has, after the password they know; a security key without a PIN will do.

Each challenge waits in the session for this account and is used once (popped)."""

from __future__ import annotations

import json

from flask import session
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
from portal.signin.passkeys import RP_NAME, relying_party, user_handle

REGISTER_KEY = "second_step_passkey_register"
CHECK_KEY = "second_step_passkey_check"
_PROBLEMS = (WebAuthnException, ValueError, KeyError, TypeError)


def _descriptors(user: User) -> list[PublicKeyCredentialDescriptor]:
    return [PublicKeyCredentialDescriptor(id=base64url_to_bytes(c)) for c in db.session.scalars(
        select(PasskeyCredential.credential_id).where(PasskeyCredential.user_id == user.id))]


def registration_options(user: User) -> str:
    rp_id, _origin = relying_party()
    options = generate_registration_options(
        rp_id=rp_id, rp_name=RP_NAME, user_id=user_handle(user), user_name=user.username,
        user_display_name=user.display_name, exclude_credentials=_descriptors(user),
        authenticator_selection=AuthenticatorSelectionCriteria(
            resident_key=ResidentKeyRequirement.DISCOURAGED,
            user_verification=UserVerificationRequirement.PREFERRED))
    session[REGISTER_KEY] = {"challenge": bytes_to_base64url(options.challenge), "user": user.id}
    return options_to_json(options)


def register(user: User, answer: str) -> bool:
    """True, and the passkey added (the caller commits), when the browser's answer proves
    a new credential made for this challenge."""
    waiting = session.pop(REGISTER_KEY, None) or {}
    if waiting.get("user") != user.id or not answer:
        return False
    rp_id, origin = relying_party()
    try:
        verified = verify_registration_response(
            credential=answer, expected_challenge=base64url_to_bytes(waiting["challenge"]),
            expected_rp_id=rp_id, expected_origin=origin, require_user_verification=False)
    except _PROBLEMS:
        return False
    db.session.add(PasskeyCredential(
        user_id=user.id, credential_id=bytes_to_base64url(verified.credential_id),
        public_key=verified.credential_public_key, sign_count=verified.sign_count))
    return True


def check_options(user: User) -> str:
    rp_id, _origin = relying_party()
    options = generate_authentication_options(
        rp_id=rp_id, allow_credentials=_descriptors(user),
        user_verification=UserVerificationRequirement.PREFERRED)
    session[CHECK_KEY] = {"challenge": bytes_to_base64url(options.challenge), "user": user.id}
    return options_to_json(options)


def check(user: User, answer: str) -> bool:
    """True when one of this account's own passkeys signed this challenge."""
    waiting = session.pop(CHECK_KEY, None) or {}
    if waiting.get("user") != user.id or not answer:
        return False
    try:
        parsed = parse_authentication_credential_json(json.loads(answer))
    except _PROBLEMS:
        return False
    stored = db.session.scalar(select(PasskeyCredential).where(
        PasskeyCredential.credential_id == bytes_to_base64url(parsed.raw_id),
        PasskeyCredential.user_id == user.id))
    if stored is None:
        return False
    rp_id, origin = relying_party()
    try:
        verified = verify_authentication_response(
            credential=parsed, expected_challenge=base64url_to_bytes(waiting["challenge"]),
            expected_rp_id=rp_id, expected_origin=origin,
            credential_public_key=stored.public_key,
            credential_current_sign_count=stored.sign_count, require_user_verification=False)
    except _PROBLEMS:
        return False
    stored.sign_count = verified.new_sign_count
    stored.last_used_at = utcnow()
    return True
