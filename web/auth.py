"""Accounts: Argon2 password hashes, five failed logins lock for 15 minutes, server-side sessions behind a
signed cookie, CSRF tokens bound to the session, API tokens stored as SHA-256 hashes."""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select

from web.models import ApiToken, Session, User, utcnow
from web.store import Store

ROLES = ("admin", "board", "unit", "auditor")
MAX_FAILED = 5
LOCK_FOR = dt.timedelta(minutes=15)
SESSION_FOR = dt.timedelta(hours=8)
_HASHER = PasswordHasher()
# Verified against when the name is unknown, so a wrong name costs the same time as a wrong password.
_DUMMY_HASH = _HASHER.hash("dtbd-no-such-user")


class AuthError(Exception):
    """A refused login or account operation; `code` is stable, the message is for people."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class Principal:
    """Who is asking: name, role and (for role `unit`) the unit whose subtree they may see."""

    user_id: int
    name: str
    role: str
    unit: str | None


def _principal(user: User) -> Principal:
    return Principal(user.id, user.name, user.role, user.unit)


def add_user(store: Store, name: str, role: str, unit: str | None, password: str | None = None) -> str:
    """Create the account; returns its password (a new random one when none is given)."""
    if role not in ROLES:
        raise AuthError("unknown-role", f"vai trò không hợp lệ / unknown role '{role}' (one of {', '.join(ROLES)})")
    if (role == "unit") != (unit is not None):
        raise AuthError("unit-scope", "vai trò unit cần --unit, các vai trò khác không có / role 'unit' needs --unit,"
                        " the other roles take none")
    if not name.strip():
        raise AuthError("empty-name", "tên tài khoản trống / empty account name")
    password = password or secrets.token_urlsafe(12)
    with store.session() as db:
        if db.scalar(select(User).where(User.name == name)) is not None:
            raise AuthError("duplicate-user", f"tài khoản '{name}' đã có / account '{name}' exists")
        db.add(User(name=name, role=role, unit=unit, password_hash=_HASHER.hash(password), failed_logins=0))
    return password


def users(store: Store) -> list[User]:
    with store.session() as db:
        return list(db.scalars(select(User).order_by(User.name)))


def login(store: Store, name: str, password: str) -> Principal:
    """The account, or AuthError('bad-login' | 'locked'); failures are counted and logged."""
    now = utcnow()
    with store.session() as db:
        user = db.scalar(select(User).where(User.name == name))
        if user is None:
            with contextlib.suppress(VerificationError):
                _HASHER.verify(_DUMMY_HASH, password or "-")
            outcome: str | Principal = "bad-login"
        elif user.locked_until is not None and user.locked_until > now:
            outcome = "locked"
        else:
            try:
                _HASHER.verify(user.password_hash, password)
                user.failed_logins = 0
                user.locked_until = None
                outcome = _principal(user)
            except (VerificationError, InvalidHashError):
                user.failed_logins += 1
                if user.failed_logins >= MAX_FAILED:
                    user.locked_until = now + LOCK_FOR
                    user.failed_logins = 0
                outcome = "bad-login"
    if isinstance(outcome, Principal):
        store.log(outcome.name, "login")
        return outcome
    store.log(name[:100] or "?", "login-failed" if outcome == "bad-login" else "login-locked")
    if outcome == "locked":
        raise AuthError("locked", "tài khoản tạm khóa 15 phút sau 5 lần đăng nhập sai / account locked for 15 minutes"
                        " after 5 failed logins")
    raise AuthError("bad-login", "sai tên hoặc mật khẩu / wrong name or password")


def open_session(store: Store, principal: Principal) -> str:
    sid = secrets.token_urlsafe(32)
    with store.session() as db:
        db.add(Session(id=sid, user_id=principal.user_id, expires_at=utcnow() + SESSION_FOR))
    return sid


_PRINCIPAL = (User.id, User.name, User.role, User.unit)
# Asked on every request: one indexed query each (SQLAlchemy Core, no ORM session).
_BY_SESSION = select(*_PRINCIPAL, Session.expires_at).join(Session, Session.user_id == User.id)
_BY_TOKEN = select(*_PRINCIPAL).join(ApiToken, ApiToken.user_id == User.id)


def session_principal(store: Store, sid: str) -> Principal | None:
    with store.engine.connect() as connection:
        row = connection.execute(_BY_SESSION.where(Session.id == sid)).first()
    if row is None or row.expires_at <= utcnow():
        return None
    return Principal(row.id, row.name, row.role, row.unit)


def close_session(store: Store, sid: str) -> None:
    with store.session() as db:
        row = db.get(Session, sid)
        if row is not None:
            db.delete(row)


def csrf_token(secret: str, bound_to: str) -> str:
    """The form token of a session (or of an anonymous visitor's nonce): an HMAC, so nothing is stored."""
    return hmac.new(secret.encode(), f"csrf:{bound_to}".encode(), hashlib.sha256).hexdigest()


def csrf_ok(secret: str, bound_to: str, token: str | None) -> bool:
    return bool(token) and hmac.compare_digest(csrf_token(secret, bound_to), token or "")


def _token_hash(token: str) -> str:
    # API tokens are 256 random bits: a fast hash suffices (no dictionary to guess from).
    return hashlib.sha256(token.encode()).hexdigest()


def new_api_token(store: Store, user_name: str, label: str = "") -> str:
    token = "dtbd_" + secrets.token_urlsafe(32)
    with store.session() as db:
        user = db.scalar(select(User).where(User.name == user_name))
        if user is None:
            raise AuthError("unknown-user", f"không có tài khoản '{user_name}' / no account '{user_name}'")
        db.add(ApiToken(user_id=user.id, token_hash=_token_hash(token), label=label))
    store.log(user_name, "token-created", label)
    return token


def token_principal(store: Store, token: str) -> Principal | None:
    with store.engine.connect() as connection:
        row = connection.execute(_BY_TOKEN.where(ApiToken.token_hash == _token_hash(token))).first()
    return None if row is None else Principal(row.id, row.name, row.role, row.unit)
