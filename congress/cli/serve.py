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
    from waitress.server import create_server

    from congress.errors import CongressError
    from congress.web import create_app

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
        raise CongressError(
            f"Không mở được cổng {port} trên {host}: {error.strerror or error} "
            "(có chương trình khác đang dùng cổng này? chọn cổng khác bằng --port)."
        ) from None
    click.echo(f"Mở trình duyệt tại http://{shown}:{port}/  (dừng: Ctrl-C)")
    try:
        server.run()
    except KeyboardInterrupt:
        click.echo("Đã dừng máy chủ.")
    finally:
        server.close()
        web.extensions["congress"].close()
