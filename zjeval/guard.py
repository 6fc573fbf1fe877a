"""The one place the command line's errors become messages and exit codes (see Errors)."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, NoReturn

import typer
from typer.core import TyperGroup

from zjeval.errors import ExitCode, ZjevalError

if TYPE_CHECKING:
    from zjeval.helptext import ClickContext

state = {"debug": False}


class Errors(TyperGroup):
    """The one place errors become messages and exit codes, for every command.

    - a ZjevalError (the user's mistake): its Chinese message and hint, its own exit code;
    - an OSError nobody caught: the file and the reason in Chinese, exit 6;
    - anything else (a bug): a Chinese message pointing at --debug, exit 70 — never a traceback
      unless --debug asked for one;
    - typer's usage errors (missing option, unknown option, bad value…): in Chinese, exit 2.
    """

    def get_help(self, ctx: ClickContext) -> str:
        from zjeval import helptext

        return helptext.command_help(ctx, self).rstrip("\n")

    def get_usage(self, ctx: ClickContext) -> str:
        from zjeval import helptext

        return helptext.usage(ctx, self)

    def invoke(self, ctx: ClickContext) -> object:
        from zjeval.usage import ClickException

        try:
            return super().invoke(ctx)
        except (typer.Exit, typer.Abort, ClickException):
            raise  # typer's own handling
        except BrokenPipeError:  # the reader closed the pipe (`zjeval render | head`): its choice
            _pipe_closed()
        except ZjevalError as exc:
            _fail(exc)
        except KeyboardInterrupt:  # outside the interview (which saves and exits 130 itself)
            sys.stderr.write("\n已中断。\n")
            raise typer.Exit(ExitCode.INTERRUPTED) from None
        except OSError as exc:
            from zjeval.errors import os_error

            _fail(os_error(exc.filename or "文件", exc, "访问"), cause=exc)
        except Exception as exc:
            _fail(
                ZjevalError(
                    f"zjeval 内部错误({type(exc).__name__}):这是 zjeval 的缺陷,不是您的操作有误",
                    "加 --debug 重新运行可以看到详细信息(如 zjeval --debug check 2019),请把它附在问题报告中",
                ),
                cause=exc,
                code=ExitCode.INTERNAL,
            )

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        windows_expand_args: bool = True,
        **extra: object,
    ) -> object:
        from zjeval.usage import ClickException, kind_of

        try:
            code = super().main(
                args, prog_name, complete_var, False, windows_expand_args=windows_expand_args, **extra
            )
        except ClickException as exc:
            if kind_of(exc, "NoArgsIsHelpError"):  # `zjeval` alone: the help
                ctx = getattr(exc, "ctx", None)
                sys.stdout.write(ctx.get_help() + "\n" if ctx is not None else "")
                code = ExitCode.USAGE
            elif not standalone_mode:
                raise
            else:
                _usage_error(exc)
        except typer.Abort:  # end of input at a prompt
            sys.stderr.write("\n已中止。\n")
            code = ExitCode.INTERRUPTED
        if not standalone_mode:
            return code
        sys.exit(code if isinstance(code, int) else 0)


def _fail(exc: ZjevalError, cause: BaseException | None = None, code: int | None = None) -> NoReturn:
    from zjeval import ui

    if state["debug"]:
        import traceback

        traceback.print_exception(cause or exc)
    ui.show_error(exc)
    raise typer.Exit(int(code if code is not None else exc.exit_code)) from None


def _pipe_closed() -> NoReturn:
    """Quiet, exit 0 (output not written through present.emit, which handles it itself)."""
    from zjeval import ui

    ui.discard(sys.stdout)
    raise typer.Exit(0) from None


def _usage_error(exc: Exception) -> NoReturn:
    from zjeval import ui, usage

    line = usage.usage_line(exc)
    if line:
        sys.stderr.write(line.rstrip("\n") + "\n")
    ui.show_error(ZjevalError(usage.message(exc), usage.help_hint(exc)))
    sys.exit(ExitCode.USAGE)
