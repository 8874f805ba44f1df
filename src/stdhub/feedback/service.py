"""The feedback service: the form every 意见反馈 link opens, and the store it writes to.

A plain ASGI application served by uvicorn (already installed with Datasette), no other
framework. Its addresses, all under `PREFIX` (`/feedback/`) so that nginx proxies them
unchanged:

- `GET /feedback/new?id=…&version=…&title=…&url=…&anchor=…`: the form, pre-filled with what
  the comment is about (the five values of `Config.feedback_link`), shown in Chinese; works
  without JavaScript. `GET /feedback/` is the same form about the site as a whole.
- `POST /feedback/new`: checks the comment, stores it (`store.add`) and answers a Chinese
  confirmation page with a link back to the page it came from; or a Chinese page saying
  why it was refused (`form.Refused`), with the form again when the person can fix it.

Checks, in order (each refusal has its status; see docs/feedback-service.md):

1. size: a body over `max_body` bytes is not read (413);
2. where it comes from: a browser's `Origin` must be the service's own or the site's (403);
3. the form's signed token, an HMAC over the time the form was made, a nonce and its five
   values (so it cannot be moved to another target or back-dated): missing or wrong, 403;
   older than `max_age`, 403 with a fresh form;
4. the honeypot field (`website`, hidden from people) filled: 400;
5. filled in faster than `min_fill` seconds: 429 with Retry-After;
6. text empty (400) or longer than `max_text` characters (413); name or contact too long (400);
7. personal data (ID, mobile, bank card numbers: `stdhub.personal.find_all`) in the comment
   or in what it is about: refused with the form, asking to take it out (400) — nothing
   with personal data is stored, so none can reach `stdhub feedback pull` or `build/`;
8. the form's token already used for a stored comment: a form is good for one submission
   (409);
9. per-address and per-target rate limits over the stored comments (429 with Retry-After);
   a target is what fills one feedback file (`store.subject`: a standard with all its
   clauses, a dataset with all its tables and rows);
10. a duplicate (`store.digest`) from the same address, or from anyone within `dup_window`
   seconds (409).

If the store cannot be written (busy past its timeout, disk full), the answer is 503 with
Retry-After and the form, nothing stored.

Steps 8 to 10 and the insert run one at a time on one thread, so two requests cannot both
pass a limit that only one of them may. The client's address is never stored: only an
HMAC of it under the secret key kept in `var/feedback/secret.key`. The address is the
peer's: forwarded headers (`X-Forwarded-For`) are believed only from the proxy named with
`--proxy` (production's nginx), never under `stdhub serve`, so no client can pick its own.

Every text a person typed and every value of what a comment is about is screened by
`stdhub.personal.find_all`, the screen the datasets use. Under `stdhub serve` the service
reads its standard input, a pipe from its parent, and stops at its end: when serve dies,
even by `kill -9`, the service follows (`--exit-with-stdin`).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import datetime as dt
import hashlib
import hmac
import math
import secrets
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Awaitable, Callable, MutableMapping
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from jinja2 import Environment, FileSystemLoader, select_autoescape

from stdhub import addresses, processes
from stdhub.config import Config, describe_anchor, named
from stdhub.errors import ServeError
from stdhub.feedback import form, store, targets
from stdhub.feedback.settings import PREFIX, Limits, Settings
from stdhub.personal import KIND_NAMES, find_all

TEMPLATES = Path(__file__).parent / "templates"

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]


class FeedbackApp:
    """The ASGI application (`create_app`)."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.env = Environment(
            loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(default=True)
        )
        self.env.filters["wait"] = form.wait
        self.env.filters["beijing"] = form.beijing
        # one thread owns the store: limits, duplicate check and insert never interleave
        self.pool = concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="feedback-db")
        self._conn: sqlite3.Connection | None = None
        self.origins = {
            form.origin(u) for u in (settings.site_url, settings.data_url) if u and form.origin(u)
        }
        # the site's pages may show the form over themselves (stdhub.js), no other site
        self.ancestors = " ".join(sorted(self.origins))

    # -- ASGI -----------------------------------------------------------------------------

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
            return
        if scope["type"] != "http":
            return
        path, method = scope["path"], scope["method"]
        if path not in (PREFIX, PREFIX + "new"):
            await self._page(send, 404, "refused.html", title="找不到这个页面")
            return
        if method in ("GET", "HEAD"):
            await self._form(scope, send)
        elif method == "POST":
            await self._post(scope, receive, send)
        else:
            await self._page(
                send, 405, "refused.html", title="不支持的请求", extra={"Allow": "GET, POST"}
            )

    async def _lifespan(self, receive: Receive, send: Send) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                try:
                    await self._db(lambda conn: None)  # opens the store: fails now, not later
                except (sqlite3.Error, OSError) as exc:
                    where = self.settings.store
                    await send({"type": "lifespan.startup.failed", "message": f"{where}: {exc}"})
                    return
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                self.pool.shutdown(wait=True)
                await send({"type": "lifespan.shutdown.complete"})
                return

    # -- pages ----------------------------------------------------------------------------

    async def _form(self, scope: Scope, send: Send) -> None:
        try:
            raw = scope.get("query_string", b"").decode("latin-1")
            query = parse_qs(raw, max_num_fields=20)
        except ValueError:
            query = {}  # not a link of ours: the form about the site
        try:
            target = self._target({k: v[0] for k, v in query.items() if v})
        except form.Refused as refused:
            await self._refused(send, refused)
            return
        sub = form.Submission(target=target)
        self._sign(sub)
        await self._page(send, 200, "form.html", **self._form_vars(sub))

    async def _post(self, scope: Scope, receive: Receive, send: Send) -> None:
        sub = None
        try:
            body = await self._body(scope, receive)
            self._check_origin(scope)
            sub = self._read(body)
            self._check(sub)
            try:
                comment = await self._db(lambda conn: self._store(conn, sub, self._client(scope)))
            except sqlite3.Error:  # busy past its timeout, disk full: nothing was stored
                raise form.Refused(
                    503,
                    "暂时无法接收",
                    "意见库暂时不可用，您的意见没有保存。请稍后再提交一次。",
                    retry_after=30,
                    form=True,
                ) from None
        except form.Refused as refused:
            await self._refused(send, refused, sub)
            return
        await self._page(
            send,
            200,
            "sent.html",
            comment=comment,
            about=form.about(sub.target),
            back=form.back(sub.target),
            answer_at=self._answer_at(sub.target),
            title="意见已收到",
        )

    async def _refused(
        self, send: Send, refused: form.Refused, sub: form.Submission | None = None
    ) -> None:
        headers = {"Retry-After": str(refused.retry_after)} if refused.retry_after else {}
        if refused.form and sub is not None:
            await self._page(
                send,
                refused.status,
                "form.html",
                extra=headers,
                refusal=refused,
                **self._form_vars(sub),
            )
            return
        await self._page(
            send,
            refused.status,
            "refused.html",
            extra=headers,
            title=refused.title,
            refusal=refused,
            back=form.back(sub.target) if sub else "",
        )

    def _form_vars(self, sub: form.Submission) -> dict[str, Any]:
        t = sub.target
        return {
            "sub": sub,
            "about": form.about(t),
            "name": named(t["id"], t["title"]),
            "where": describe_anchor(t["anchor"]),
            "version": t["version"] if t["version"] and not t["id"].endswith(t["version"]) else "",
            "back": form.back(t),
            "limits": self.settings.limits,
            "title": "提出意见",
        }

    async def _page(
        self,
        send: Send,
        status: int,
        template: str,
        *,
        extra: dict[str, str] | None = None,
        **context: Any,
    ) -> None:
        page = self.env.get_template(template)
        body = page.render(prefix=PREFIX, home=self.settings.site_url, **context).encode()
        headers = {
            "content-type": "text/html; charset=utf-8",
            "content-length": str(len(body)),
            "cache-control": "no-store",
            "x-content-type-options": "nosniff",
            # not no-referrer: with it a browser sends `Origin: null` on the form's POST
            "referrer-policy": "same-origin",
            "content-security-policy": (
                "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; "
                f"frame-ancestors 'self' {self.ancestors}; base-uri 'none'"
            ),
            **{k.lower(): v for k, v in (extra or {}).items()},
        }
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [(k.encode(), v.encode()) for k, v in headers.items()],
            }
        )
        await send({"type": "http.response.body", "body": body})

    # -- checks ---------------------------------------------------------------------------

    async def _body(self, scope: Scope, receive: Receive) -> bytes:
        limit = self.settings.limits.max_body
        headers = dict(scope["headers"])
        too_big = form.Refused(
            413,
            "内容过长",
            f"提交的内容超过 {limit // 1024} KB。请把意见缩短后再提交；较长的材料请发送邮件。",
        )
        try:
            declared = int(headers.get(b"content-length", b"0"))
        except ValueError:
            raise form.Refused(
                400, "请求无效", "请求的长度无效。请回到原页面重新打开意见表。"
            ) from None
        if declared > limit:
            raise too_big
        kind = headers.get(b"content-type", b"").split(b";")[0].strip().lower()
        if kind != b"application/x-www-form-urlencoded":
            raise form.Refused(400, "请求无效", "请通过本站的意见表提交意见。")
        chunks, size = [], 0
        while True:
            message = await receive()
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > limit:
                raise too_big
            chunks.append(chunk)
            if not message.get("more_body"):
                return b"".join(chunks)

    def _check_origin(self, scope: Scope) -> None:
        headers = dict(scope["headers"])
        origin = headers.get(b"origin", b"").decode("latin-1")
        if not origin:
            return  # not a browser's cross-site request (the token still has to be right)
        own = {f"{scope.get('scheme', 'http')}://{headers.get(b'host', b'').decode('latin-1')}"}
        if origin not in self.origins | own:
            raise form.Refused(
                403,
                "来源不符",
                "这份意见不是从本站的意见表提交的，未被接收。请打开本站页面上的“意见反馈”链接填写。",
            )

    def _read(self, body: bytes) -> form.Submission:
        try:
            raw = parse_qs(
                body.decode("utf-8"),
                keep_blank_values=True,
                strict_parsing=False,
                max_num_fields=20,
            )
        except (UnicodeDecodeError, ValueError):
            raise form.Refused(
                400, "请求无效", "提交的内容无法读取。请回到原页面重新打开意见表。"
            ) from None
        fields = {k: v[0] for k, v in raw.items()}
        target = self._target(fields)
        return form.Submission(
            target=target,
            text=form.clean(fields.get("text", ""), multiline=True).strip(),
            name=form.clean(fields.get("name", "")).strip(),
            contact=form.clean(fields.get("contact", "")).strip(),
            stamp=fields.get("ts", ""),
            token=fields.get("token", ""),
            honeypot=fields.get("website", ""),
        )

    def _check(self, sub: form.Submission) -> None:
        """Steps 3 to 7 (module docstring); raises Refused."""
        limits = self.settings.limits
        expected = self._token(sub.stamp, sub.target)
        if not sub.token or not sub.stamp:
            raise form.Refused(
                403,
                "意见表无效",
                "提交中缺少意见表的校验码。请回到原页面，点击“意见反馈”重新打开意见表。",
            )
        if not hmac.compare_digest(sub.token, expected):
            raise form.Refused(
                403,
                "意见表无效",
                "意见表的校验码不正确（意见表可能被改动过）。请回到原页面，点击“意见反馈”重新打开意见表。",
            )
        if sub.honeypot:
            raise form.Refused(
                400,
                "未能接收",
                "“网址”一栏是留给自动程序的陷阱，请留空。如果您是真人，请回到原页面重新填写。",
            )
        age = time.time() - int(sub.stamp.split("-", 1)[0])  # a valid token signs a number
        if age > limits.max_age:
            self._sign(sub)
            raise form.Refused(
                403,
                "意见表已过期",
                "这份意见表打开太久，已经过期。我们换了一份新的，您写的内容还在，请再提交一次。",
                form=True,
            )
        if age < limits.min_fill:
            wait = max(1, math.ceil(limits.min_fill - age))
            raise form.Refused(
                429,
                "提交太快",
                f"提交太快了，请过 {wait} 秒再提交（这是为了挡住自动程序）。",
                retry_after=wait,
                form=True,
            )
        if not sub.text:
            raise form.Refused(400, "请写下意见", "意见内容不能为空。", form=True)
        if len(sub.text) > limits.max_text:
            raise form.Refused(
                413,
                "意见过长",
                f"意见最多 {limits.max_text} 字，现在是 {len(sub.text)} 字。请精简后再提交；较长的材料请发送邮件。",
                form=True,
            )
        if len(sub.name) > limits.max_name or len(sub.contact) > limits.max_contact:
            raise form.Refused(
                400,
                "称呼或联系方式过长",
                f"称呼最多 {limits.max_name} 字，联系方式最多 {limits.max_contact} 字。",
                form=True,
            )
        hits = find_all(sub.text) + find_all(sub.name)  # all a person types that is kept
        if hits:
            kinds = "、".join(dict.fromkeys(KIND_NAMES[h.kind] for h in hits))
            shown = "、".join(h.masked for h in hits[:3])
            raise form.Refused(
                400,
                "请删去个人信息",
                f"意见中似乎有{kinds}（{shown}）。意见会公开，请删去后再提交；如需我们联系您，请写在“联系方式”一栏，它不会公开。",
                form=True,
            )

    def _target(self, values: dict[str, str]) -> dict[str, str]:
        """The five values of what a comment is about, checked; the site as a whole when the
        link names nothing."""
        target = {k: form.clean(values.get(k, "")).strip() for k in form.FIELDS}
        if not target["id"]:
            target.update(form.SITE_WIDE)
        for key, most in form.FIELD_MAX.items():
            if len(target[key]) > most:
                raise form.Refused(
                    400,
                    "链接无效",
                    "意见反馈链接的内容过长，不是本站生成的。请回到原页面，点击“意见反馈”。",
                )
        if target["url"] and not self._ours(target["url"]):
            target["url"] = ""  # never a link back to another site
        if any(find_all(v) for v in target.values()):
            raise form.Refused(
                400,
                "链接中有个人信息",
                "意见反馈链接中似乎有个人信息，未被接收。请回到原页面重新打开意见表。",
            )
        return target

    def _client(self, scope: Scope) -> str:
        """The client's address: the peer's, or, when the peer is the configured proxy, the
        last address of its X-Forwarded-For (the one nginx saw)."""
        peer = str(scope["client"][0]) if scope.get("client") else ""
        if not self.settings.proxy or peer != self.settings.proxy:
            return peer
        forwarded = dict(scope["headers"]).get(b"x-forwarded-for", b"").decode("latin-1")
        last = forwarded.rsplit(",", 1)[-1].strip()
        return last or peer

    def _answer_at(self, target: dict[str, str]) -> tuple[str, str]:
        """Where the answer to a comment on `target` will be published, in words, and its
        address: the 意见采纳情况 page of the file the comment fills (`store.subject`)."""
        about = target["id"]
        subject = store.subject(about)
        if about in targets.GENERAL_TITLES:
            words = f"“{targets.GENERAL_TITLES[about]}”的“意见采纳情况”页面"
        elif store.DATASET_NAME.fullmatch(subject):
            words = f"数据集“{target['title'].split(' · ')[0] or subject}”的“意见采纳情况”页面"
        elif "/" in about:
            words = f"标准 {about} 的“意见采纳情况”页面"
        else:  # a list item, a code: its list's page, found from the consultations page
            words = "“征求意见”栏目中相应的“意见采纳情况”页面"
            return words, addresses.absolute(self.settings.site_url, addresses.CONSULTATIONS)
        return words, addresses.absolute(self.settings.site_url, addresses.consultation(subject))

    def _ours(self, url: str) -> bool:
        parts = urlsplit(url)
        return parts.scheme in ("http", "https") and form.origin(url) in self.origins

    def _token(self, stamp: str, target: dict[str, str]) -> str:
        payload = "\0".join(["form", stamp, *(target[k] for k in form.FIELDS)])
        return hmac.new(self.settings.secret, payload.encode(), hashlib.sha256).hexdigest()

    def _sign(self, sub: form.Submission) -> None:
        # the time the form was made, and a nonce: each form is one of its own (one use)
        sub.stamp = f"{int(time.time())}-{secrets.token_hex(8)}"
        sub.token = self._token(sub.stamp, sub.target)

    # -- the store (on its one thread) ----------------------------------------------------

    async def _db(self, work: Callable[[sqlite3.Connection], Any]) -> Any:
        def run() -> Any:
            if self._conn is None:
                self._conn = store.connect(self.settings.store)
            return work(self._conn)

        return await asyncio.get_running_loop().run_in_executor(self.pool, run)

    def _store(self, conn: sqlite3.Connection, sub: form.Submission, address: str) -> store.Comment:
        client = hmac.new(
            self.settings.secret, f"client\0{address}".encode(), hashlib.sha256
        ).hexdigest()[:32]
        t = sub.target
        now = dt.datetime.now(dt.UTC)
        limits = self.settings.limits
        if store.token_used(conn, sub.token):
            raise _used()
        scopes = (  # (limits, which comments count, title, message for `n` in `span`)
            (limits.per_client, {"client": client}, "提交次数过多",
             "您在 {span} 内已提交 {n} 条意见，达到上限。请稍后再提交。"),
            (limits.per_target, {"target": store.subject(t["id"])}, "意见太多",
             "这一对象在 {span} 内收到的意见已达上限。请稍后再提交。"),
        )  # fmt: skip
        for pairs, which, title, message in scopes:
            for most, window in pairs:
                times = store.received_since(conn, form.stamp(now, window), **which)
                if len(times) >= most:
                    raise form.Refused(
                        429,
                        title,
                        message.format(span=form.span(window), n=len(times)),
                        retry_after=form.retry(times[-most], window, now),
                        form=True,
                    )
        digest = store.digest(t["id"], t["anchor"], sub.text)
        if store.seen(conn, digest, client=client, since=form.stamp(now, limits.dup_window)):
            raise form.Refused(409, "这条意见已经收到", "同样的意见已经收到，不必重复提交。")
        conn.execute("BEGIN IMMEDIATE")
        try:
            comment = store.add(
                conn,
                about=t["id"],
                version=t["version"],
                title=t["title"],
                page=t["url"],
                anchor=t["anchor"],
                text=sub.text,
                name=sub.name,
                contact=sub.contact,
                client=client,
            )
            if not store.use_token(conn, sub.token, form.stamp(now, limits.max_age)):
                raise _used()
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
        return comment


def _used() -> form.Refused:
    return form.Refused(
        409,
        "这份意见表已经提交过",
        "这份意见表已经提交过一次，意见已收到。如要再提意见，请回到原页面，点击“意见反馈”重新打开意见表。",
    )


def create_app(settings: Settings) -> FeedbackApp:
    """The ASGI application of the service with these settings."""
    return FeedbackApp(settings)


def command(
    project: Path,
    host: str,
    port: int,
    site_url: str,
    data_url: str,
    *,
    proxy: str = "",
    exit_with_stdin: bool = False,
) -> list[str]:
    """The command line that runs the service (`stdhub serve` runs it; so can production,
    with `proxy` the address of the one proxy whose `X-Forwarded-For` it believes)."""
    return [
        sys.executable, "-m", "stdhub.feedback.service", "--project", str(project),
        "--host", host, "--port", str(port), "--site-url", site_url, "--data-url", data_url,
        *(["--proxy", proxy] if proxy else []),
        *(["--exit-with-stdin"] if exit_with_stdin else []),
    ]  # fmt: skip


def start(
    project: Path, host: str, port: int, config: Config, *, log: Path, timeout: float = 30
) -> subprocess.Popen[bytes]:
    """Start the service as its own process, its output appended to `log`; return once it
    answers. It believes no forwarded header and stops when this process ends (its standard
    input is a pipe from here). Raises ServeError if the port is taken or it does not start."""
    processes.ensure_free(host, port)
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("ab") as out:
        proc = subprocess.Popen(
            command(
                project.resolve(), host, port, config.site_url, config.data_url,
                exit_with_stdin=True,
            ),
            stdin=subprocess.PIPE,
            stdout=out,
            stderr=subprocess.STDOUT,
        )  # fmt: skip
    shown = "127.0.0.1" if host in ("0.0.0.0", "") else host
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            tail = log.read_text(encoding="utf-8", errors="replace")[-2000:]
            raise ServeError(f"意见反馈服务启动失败（退出码 {proc.returncode}）：{tail}")
        try:
            with urllib.request.urlopen(f"http://{shown}:{port}{PREFIX}", timeout=2) as answer:
                if answer.status == 200:
                    return proc
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.1)
    processes.stop(proc)
    raise ServeError(f"意见反馈服务在 {timeout:.0f} 秒内没有响应（端口 {port}），见 {log}")


def _exit_with_stdin(server: Any) -> None:
    """Tell uvicorn's `server` to exit when standard input ends (the parent is gone)."""

    def watch() -> None:
        with contextlib.suppress(OSError, ValueError):
            while sys.stdin.buffer.read(4096):
                pass
        server.should_exit = True

    threading.Thread(target=watch, name="feedback-parent", daemon=True).start()


def main(argv: list[str] | None = None) -> None:
    """`python -m stdhub.feedback.service --project DIR --port 8002`: serve until stopped."""
    import click
    import uvicorn

    from stdhub.config import load_config

    @click.command()
    @click.option("--project", type=click.Path(path_type=Path, file_okay=False), default=".")
    @click.option("--host", default="127.0.0.1", show_default=True)
    @click.option("--port", type=click.IntRange(1, 65535), default=8002, show_default=True)
    @click.option("--site-url", default=None, help="The site's address (default: mkdocs.yml).")
    @click.option("--data-url", default=None, help="Datasette's address (default: mkdocs.yml).")
    @click.option("--lifted-limits", is_flag=True, help="No rate limits or fill time (load tests).")
    @click.option(
        "--proxy",
        default="",
        help="The proxy's address (nginx: 127.0.0.1) whose X-Forwarded-For is believed; "
        "without it no forwarded header is.",
    )
    @click.option("--exit-with-stdin", is_flag=True, help="Stop when standard input ends.")
    def run(
        project: Path,
        host: str,
        port: int,
        site_url: str | None,
        data_url: str | None,
        lifted_limits: bool,
        proxy: str,
        exit_with_stdin: bool,
    ) -> None:
        config = load_config(project)
        settings = Settings.for_project(
            project,
            site_url or config.site_url,
            data_url or config.data_url,
            Limits.lifted() if lifted_limits else Limits(),
            proxy,
        )
        server = uvicorn.Server(
            uvicorn.Config(
                create_app(settings),
                host=host,
                port=port,
                log_level="warning",
                access_log=False,
                server_header=False,
                proxy_headers=False,  # the app believes the proxy alone (`_client`)
            )
        )
        if exit_with_stdin:
            _exit_with_stdin(server)
        server.run()

    run.main(args=argv, prog_name="python -m stdhub.feedback.service")


if __name__ == "__main__":
    main()
