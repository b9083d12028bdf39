import click

from congress.cli.common import App, Bounded, pass_app

LOOPBACK = "127.0.0.1"


@click.command("serve")
@click.option("--host", default=LOOPBACK, show_default=True, metavar="ĐỊA_CHỈ",
              help="Địa chỉ lắng nghe; chỉ máy này nếu không chỉ rõ (0.0.0.0: mọi máy trong mạng).")
@click.option("--port", type=Bounded(1, 65535), default=8000, show_default=True, metavar="CỔNG", help="Cổng.")
@click.option("--threads", type=Bounded(1, 64), default=16, show_default=True, metavar="SỐ",
              help="Số yêu cầu xử lý cùng lúc.")
@pass_app
def serve(app: App, host: str, port: int, threads: int) -> None:
    """Mở sổ theo dõi trên trình duyệt cho văn phòng và các tổ công tác.

    Chạy đến khi bấm Ctrl-C. Đăng nhập bằng tài khoản tạo bởi «congress user add» (SQLite) hoặc tài
    khoản của máy chủ PostgreSQL. Phiên đăng nhập kết thúc khi máy chủ khởi động lại.
    """
    import contextlib
    import signal

    from waitress.server import create_server

    from congress.web import create_app

    _check_host(host, port)
    web = create_app(app.db)
    shown = f"[{host}]" if ":" in host else host
    if host not in (LOOPBACK, "localhost", "::1"):
        click.echo(f"Cảnh báo: máy chủ nhận kết nối từ mạng qua {host}; chỉ dùng trong mạng nội bộ của cơ quan.",
                   err=True)
        if host in ("0.0.0.0", "::"):  # every address of this machine: its name is what others type
            import socket

            shown = socket.gethostname()
    try:
        server = create_server(web, host=host, port=port, threads=threads, ident="congress")
    except OSError as error:
        web.extensions["congress"].close()
        raise _listen_error(host, port, error) from None
    click.echo(f"Mở trình duyệt tại http://{shown}:{port}/  (dừng: Ctrl-C)")
    # a service manager stops the server with SIGTERM: the same clean stop as Ctrl-C (the waiting
    # uploads removed, every login closed)
    previous = signal.signal(signal.SIGTERM, _interrupt)
    try:
        # waitress's loop takes the interrupt itself and returns; one arriving outside it ends here too
        with contextlib.suppress(KeyboardInterrupt):
            server.run()
    finally:
        signal.signal(signal.SIGTERM, previous)
        server.close()
        web.extensions["congress"].close()
    click.echo("Đã dừng máy chủ.")


def _interrupt(_signal, _frame):
    raise KeyboardInterrupt


def _check_host(host: str, port: int) -> None:
    """A name that does not resolve is refused before anything starts (waitress would only say
    "Invalid host/port specified", in English)."""
    import socket

    from congress.domain.errors import CongressError

    try:
        socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except (socket.gaierror, UnicodeError, ValueError):
        shown = host if len(host) <= 60 else host[:60] + "…"
        raise CongressError(
            f"--host «{shown}» không phải địa chỉ IP hay tên máy tìm được; ví dụ 127.0.0.1 (chỉ máy này) "
            "hoặc 0.0.0.0 (mọi máy trong mạng)."
        ) from None


def _listen_error(host: str, port: int, error: OSError):
    import errno

    from congress.domain.errors import CongressError

    reasons = {
        errno.EADDRINUSE: "có chương trình khác đang dùng cổng này; chọn cổng khác bằng --port",
        errno.EADDRNOTAVAIL: f"{host} không phải địa chỉ của máy này; chọn một địa chỉ của máy bằng --host, "
                             "hoặc 0.0.0.0 (mọi địa chỉ)",
        errno.EACCES: "không có quyền mở cổng này (cổng dưới 1024 cần quyền quản trị); chọn cổng khác bằng --port",
    }
    reason = reasons.get(error.errno, f"{error.strerror or error}; chọn cổng khác bằng --port hoặc địa chỉ khác bằng --host")
    return CongressError(f"Không mở được cổng {port} trên {host}: {reason}.")
