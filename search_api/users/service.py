"""Accounts: sign-up, sign-in, token rotation, sign-out, the saved profile, deletion; and
API keys. Services flush, the request's session commits (core.deps.get_session)."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from search_api.core.audit import AuditTrail
from search_api.core.crypto import FieldCipher, LookupHasher, sha256_hex
from search_api.core.errors import ConflictError, NotFoundError, ValidationFailed
from search_api.core.security import AuthenticationFailed, Principal
from search_api.core.settings import Settings
from search_api.profiles.repository import ProfileRepository
from search_api.profiles.schemas import StudentProfile
from search_api.users.authenticator import AccountAuthenticator, Revocations
from search_api.users.models import ApiKey, User, UserSession
from search_api.users.passwords import Passwords, password_problems
from search_api.users.repository import ApiKeyRepository, SessionRepository, UserRepository
from search_api.users.schemas import (
    ApiKeyCreate,
    ApiKeyCreated,
    ApiKeyOut,
    RegisterRequest,
    TokenPair,
    UserOut,
)
from search_api.users.tokens import TokenCodec, new_api_key, new_refresh_token

# One message for an unknown email and a wrong password: nobody learns who has an account.
BAD_CREDENTIALS = "incorrect email or password"


@dataclass(frozen=True)
class AccountKit:
    """Everything accounts need that outlives a request; built once in lifespan."""

    settings: Settings
    sessionmaker: async_sessionmaker[AsyncSession]
    cipher: FieldCipher
    hasher: LookupHasher
    passwords: Passwords
    codec: TokenCodec
    revocations: Revocations
    authenticator: AccountAuthenticator
    # What other domains keep about an account outside these tables (the agent's Redis copy
    # of a conversation): each is called with the user id when the account is deleted.
    erasers: list[Callable[[uuid.UUID], Awaitable[None]]] = field(default_factory=list)

    @classmethod
    def build(
        cls,
        settings: Settings,
        sessionmaker: async_sessionmaker[AsyncSession],
        revocations: Revocations,
    ) -> AccountKit:
        codec = TokenCodec(settings)
        return cls(
            settings=settings,
            sessionmaker=sessionmaker,
            cipher=FieldCipher.from_spec(settings.encryption_keys),
            hasher=LookupHasher(settings.email_hash_key),
            passwords=Passwords(
                settings.password_hash_time_cost, settings.password_hash_memory_kib
            ),
            codec=codec,
            revocations=revocations,
            authenticator=AccountAuthenticator(
                codec, revocations, sessionmaker, settings.admin_api_key
            ),
        )


def email_context(user_id: uuid.UUID) -> str:
    return f"users.email:{user_id}"


def name_context(user_id: uuid.UUID) -> str:
    return f"users.display_name:{user_id}"


class WeakPassword(ValidationFailed):
    def __init__(self, problems: list[str]) -> None:
        super().__init__(
            f"the password is too weak: {'; '.join(problems)}",
            [{"field": "password", "location": "body", "message": p} for p in problems],
        )


class AccountService:
    def __init__(self, session: AsyncSession, kit: AccountKit) -> None:
        self.session = session
        self.kit = kit
        self.users = UserRepository(session)
        self.sessions = SessionRepository(session)
        self.profiles = ProfileRepository(session, kit.cipher)

    # ---- accounts -------------------------------------------------------------------

    def user_out(self, user: User) -> UserOut:
        cipher = self.kit.cipher
        return UserOut(
            id=user.id,
            email=cipher.decrypt(user.email_encrypted, email_context(user.id)),
            display_name=cipher.decrypt(user.display_name_encrypted, name_context(user.id)),
            role=user.role,
            created_at=user.created_at,
        )

    async def create_user(
        self, email: str, password: str, display_name: str, role: str = "student"
    ) -> User:
        problems = password_problems(password, email, display_name)
        if problems:
            raise WeakPassword(problems)
        email_hash = self.kit.hasher.email(email)
        if await self.users.by_email_hash(email_hash) is not None:
            raise ConflictError("EMAIL_TAKEN", "an account with this email already exists")
        user_id = uuid.uuid4()
        user = User(
            id=user_id,
            email_hash=email_hash,
            email_encrypted=self.kit.cipher.encrypt(email.strip(), email_context(user_id)),
            display_name_encrypted=self.kit.cipher.encrypt(display_name, name_context(user_id)),
            password_hash=await self.kit.passwords.hash(password),
            role=role,
            is_active=True,
        )
        try:
            async with self.session.begin_nested():
                await self.users.add(user)
        except IntegrityError:
            # another sign-up with the same email won the race
            raise ConflictError(
                "EMAIL_TAKEN", "an account with this email already exists"
            ) from None
        await self.session.refresh(user)
        return user

    async def register(self, request: RegisterRequest) -> UserOut:
        user = await self.create_user(request.email, request.password, request.display_name)
        return self.user_out(user)

    async def me(self, principal: Principal) -> UserOut:
        return self.user_out(await self._current_user(principal))

    async def _current_user(self, principal: Principal) -> User:
        assert principal.user_id is not None
        user = await self.users.get_one_or_none(principal.user_id)
        if user is None or not user.is_active:
            # the token outlived its account
            raise AuthenticationFailed("this account no longer exists", "ACCOUNT_GONE")
        return user

    async def delete_me(self, principal: Principal) -> uuid.UUID:
        """The account and everything tied to it: the profile, sessions, plans and recorded
        interactions go with it (ON DELETE CASCADE); tokens already issued are denied."""
        user = await self._current_user(principal)
        await self.users.delete(user.id)
        await self.kit.revocations.deny_user(user.id)
        for erase in self.kit.erasers:
            await erase(user.id)
        return user.id

    # ---- tokens -----------------------------------------------------------------------

    async def login(self, email: str, password: str) -> TokenPair:
        user = await self.users.by_email_hash(self.kit.hasher.email(email))
        if user is not None and not user.is_active:
            user = None
        # verified even when there is no account, so both failures take the same time
        ok = await self.kit.passwords.verify(user.password_hash if user else None, password)
        if not ok or user is None:
            raise AuthenticationFailed(BAD_CREDENTIALS, "INVALID_CREDENTIALS")
        if self.kit.passwords.needs_rehash(user.password_hash):
            await self.users.set_password_hash(user.id, await self.kit.passwords.hash(password))
        return await self._issue(user, uuid.uuid4())

    async def _issue(self, user: User, family_id: uuid.UUID) -> TokenPair:
        settings = self.kit.settings
        refresh = new_refresh_token()
        lifetime = timedelta(days=settings.refresh_token_days)
        await self.sessions.add(
            UserSession(
                user_id=user.id,
                family_id=family_id,
                token_hash=sha256_hex(refresh),
                expires_at=datetime.now(UTC) + lifetime,
            )
        )
        access = self.kit.codec.issue(user.id, user.role, family_id)
        return TokenPair(
            access_token=access.token,
            expires_in=access.expires_in,
            refresh_token=refresh,
            refresh_expires_in=int(lifetime.total_seconds()),
        )

    async def refresh(self, refresh_token: str) -> TokenPair:
        """Rotate: the presented token is spent and a new pair issued in the same family.
        A token presented twice was copied; the whole family is revoked."""
        row = await self.sessions.by_token_hash_for_update(sha256_hex(refresh_token))
        if row is None:
            raise AuthenticationFailed("the refresh token is invalid", "INVALID_REFRESH_TOKEN")
        if row.rotated_at is not None or row.revoked_at is not None:
            family = row.family_id
            await self._revoke_family_now(family)
            raise AuthenticationFailed(
                "this refresh token was already used: every session it belongs to is now "
                "signed out",
                "REFRESH_TOKEN_REUSED",
            )
        if row.expires_at <= datetime.now(UTC):
            raise AuthenticationFailed("the refresh token has expired", "REFRESH_TOKEN_EXPIRED")
        user = await self.users.get_one_or_none(row.user_id)
        if user is None or not user.is_active:
            raise AuthenticationFailed("the refresh token is invalid", "INVALID_REFRESH_TOKEN")
        await self.sessions.mark_rotated(row.id)
        return await self._issue(user, row.family_id)

    async def _revoke_family_now(self, family_id: uuid.UUID) -> None:
        """The revocation must survive the 401 that follows (which rolls the request's
        session back), so it commits on its own. The request's row lock is released first."""
        await self.session.rollback()
        async with self.kit.sessionmaker() as own, own.begin():
            await SessionRepository(own).revoke_family(family_id)
        await self.kit.revocations.deny_session(family_id)

    async def logout(self, refresh_token: str) -> None:
        """Idempotent: an unknown or spent token signs nothing out and is not an error."""
        row = await self.sessions.by_token_hash_for_update(sha256_hex(refresh_token))
        if row is None:
            return
        await self.sessions.revoke_family(row.family_id)
        await self.kit.revocations.deny_session(row.family_id)

    # ---- the saved profile ----------------------------------------------------------------

    async def profile(self, principal: Principal) -> StudentProfile:
        user = await self._current_user(principal)
        return await self.profiles.load(user.id) or StudentProfile()

    async def save_profile(self, principal: Principal, profile: StudentProfile) -> StudentProfile:
        user = await self._current_user(principal)
        await self.profiles.save(user.id, profile)
        return profile

    # ---- admin (CLI) ----------------------------------------------------------------------

    async def create_or_promote_admin(
        self, email: str, password: str | None, display_name: str
    ) -> tuple[User, str | None]:
        """-> (the admin, the role it had before; None for a new account).
        password None: promote an existing account only."""
        existing = await self.users.by_email_hash(self.kit.hasher.email(email))
        if existing is not None:
            if password is not None:
                raise ConflictError(
                    "EMAIL_TAKEN", "an account with this email exists; use --promote"
                )
            previous = existing.role
            await self.users.set_role(existing.id, "admin")
            return existing, previous
        if password is None:
            raise NotFoundError("USER_NOT_FOUND", "no account with this email to promote")
        return await self.create_user(email, password, display_name, role="admin"), None

    async def reencrypt(self, batch_size: int = 500) -> int:
        """Re-encrypt accounts and profiles still under an older key. -> rows changed."""
        cipher = self.kit.cipher
        moved = 0
        last: uuid.UUID | None = None
        while batch := await self.users.batch_after(last, batch_size):
            for user in batch:
                last = user.id
                changed = False
                for attr, context in (
                    ("email_encrypted", email_context(user.id)),
                    ("display_name_encrypted", name_context(user.id)),
                ):
                    token = getattr(user, attr)
                    if cipher.needs_rotation(token):
                        setattr(user, attr, cipher.encrypt(cipher.decrypt(token, context), context))
                        changed = True
                moved += changed
            await self.session.flush()
        return moved + await self.profiles.reencrypt(batch_size)


def key_out(row: ApiKey) -> ApiKeyOut:
    return ApiKeyOut(
        id=row.id,
        name=row.name,
        prefix=row.prefix,
        scopes=list(row.scopes),
        created_at=row.created_at,
        expires_at=row.expires_at,
        revoked_at=row.revoked_at,
        note=row.note,
    )


class ApiKeyService:
    def __init__(self, session: AsyncSession, kit: AccountKit, audit: AuditTrail) -> None:
        self.keys = ApiKeyRepository(session)
        self.session = session
        self.kit = kit
        self.audit = audit

    async def create(self, request: ApiKeyCreate, principal: Principal) -> ApiKeyCreated:
        key, prefix = new_api_key()
        scopes = sorted(set(request.scopes) | ({"read"} if "admin" in request.scopes else set()))
        expires = (
            datetime.now(UTC) + timedelta(days=request.expires_in_days)
            if request.expires_in_days
            else None
        )
        row = await self.keys.add(
            ApiKey(
                name=request.name,
                prefix=prefix,
                key_hash=sha256_hex(key),
                scopes=scopes,
                created_by=principal.user_id,
                expires_at=expires,
                note=request.note,
            )
        )
        await self.session.refresh(row)
        out = key_out(row)
        await self.audit.record(
            "api_key.create", "api_key", str(row.id), None, out.model_dump(mode="json")
        )
        return ApiKeyCreated(**out.model_dump(), key=key)

    async def listed(self) -> list[ApiKeyOut]:
        return [key_out(row) for row in await self.keys.listed()]

    async def revoke(self, key_id: uuid.UUID) -> ApiKeyOut:
        row = await self.keys.get_one_or_none(key_id)
        if row is None:
            raise NotFoundError("API_KEY_NOT_FOUND", f"no API key with id {key_id}")
        before = key_out(row).model_dump(mode="json")
        if row.revoked_at is None:
            await self.keys.revoke(key_id)
            await self.session.refresh(row)
        after = key_out(row)
        await self.audit.record(
            "api_key.revoke", "api_key", str(key_id), before, after.model_dump(mode="json")
        )
        self.kit.authenticator.forget_keys()
        return after
