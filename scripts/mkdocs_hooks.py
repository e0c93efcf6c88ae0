"""MkDocs hooks: pages made from the repository at build time, so they never drift from it.

* ``index.md``: the repository's ``README.md`` with its ``docs/…`` links pointed into the site.
* ``reference/excel-functions.md``: every Excel function of :mod:`nps_xl.excel.udfs` (the
  functions decorated with ``@xw.func``), with its signature, its docstring and the description
  of each argument given to ``@xw.arg(..., doc=...)`` — the texts Excel's Insert Function dialog
  shows.
* ``reference/cli.md``: every command of ``nps-xl`` (``nps_xl.cli.app``, walked through
  ``typer.main.get_command``), with its usage line, its help and each option as ``--help``
  prints it.

``mkdocs build`` loads this file (``hooks:`` in ``mkdocs.yml``); the tests import it too.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# Document the checkout being built, whatever copy of nps_xl is installed.
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
UDF_MODULE = "nps_xl.excel.udfs"

#: The generated pages, by their path in the site.
GENERATED = ("index.md", "reference/excel-functions.md", "reference/cli.md")


# --------------------------------------------------------------------------- front page


def front_page() -> str:
    """The README as the site's home page: ``docs/x.md`` links become ``x.md``."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return re.sub(r"\]\(docs/", "](", text)


# --------------------------------------------------------------------------- Markdown helpers


def cell(text: str) -> str:
    """Plain text for one Markdown table cell: one line, ``|`` escaped, no raw HTML."""
    text = " ".join(str(text).split())
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("|", "\\|")


def code(text: str) -> str:
    """Text as inline code inside a table cell (``|`` must still be escaped there)."""
    return "`" + str(text).replace("|", "\\|") + "`"


def paragraph(text: str) -> str:
    """A docstring or help text as one Markdown paragraph per blank-line-separated block."""
    blocks = re.split(r"\n\s*\n", inspect.cleandoc(text or ""))
    out = []
    for block in blocks:
        line = " ".join(block.split())
        out.append(line.replace("<", "&lt;").replace(">", "&gt;"))
    return "\n\n".join(b for b in out if b)


# --------------------------------------------------------------------------- Excel functions


def _decorator_name(node: ast.expr) -> str | None:
    """``xw.func`` for ``@xw.func(...)`` / ``@xw.func``; None for other decorators."""
    target = node.func if isinstance(node, ast.Call) else node
    if isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name):
        return f"{target.value.id}.{target.attr}"
    return None


def excel_functions(module_name: str = UDF_MODULE) -> list[dict]:
    """The Excel functions of a UDF module, in source order.

    Each is ``{"name", "category", "signature", "description", "arguments"}`` where
    ``arguments`` is a list of ``{"name", "default", "optional", "doc"}``. The ``doc=`` and
    ``category=`` expressions of the decorators are evaluated in the module's own namespace, so
    shared texts (``doc=_SCALE_DOC + " Both groups use it."``) read exactly as xlwings gets them.
    """
    module = importlib.import_module(module_name)
    tree = ast.parse(Path(module.__file__).read_text(encoding="utf-8"))
    namespace = vars(module)

    def value(expr: ast.expr):
        return eval(compile(ast.Expression(expr), module.__file__, "eval"), namespace)

    functions = []
    for node in tree.body:
        if not isinstance(node, ast.FunctionDef):
            continue
        names = [_decorator_name(d) for d in node.decorator_list]
        if "xw.func" not in names:
            continue
        category = None
        docs: dict[str, str] = {}
        for deco in node.decorator_list:
            if not isinstance(deco, ast.Call):
                continue
            keywords = {k.arg: k.value for k in deco.keywords}
            if _decorator_name(deco) == "xw.func" and "category" in keywords:
                category = value(keywords["category"])
            if _decorator_name(deco) == "xw.arg" and "doc" in keywords:
                docs[value(deco.args[0])] = value(keywords["doc"])
        function = getattr(module, node.name)
        signature = inspect.signature(function)
        arguments = []
        for parameter in signature.parameters.values():
            optional = parameter.default is not inspect.Parameter.empty
            arguments.append(
                {
                    "name": parameter.name,
                    "optional": optional,
                    "default": parameter.default if optional else None,
                    "doc": docs.get(parameter.name, ""),
                }
            )
        shown = ", ".join(f"[{a['name']}]" if a["optional"] else a["name"] for a in arguments)
        functions.append(
            {
                "name": node.name,
                "category": category,
                "signature": f"{node.name}({shown})",
                "description": inspect.getdoc(function) or "",
                "arguments": arguments,
            }
        )
    return functions


def _default(argument: dict) -> str:
    if not argument["optional"]:
        return "required"
    if argument["default"] is None:
        return "blank"
    if isinstance(argument["default"], str):
        return code(f'"{argument["default"]}"')
    return code(argument["default"])


def excel_reference() -> str:
    """The Markdown page of every Excel function."""
    functions = excel_functions()
    lines = [
        "# Excel function reference",
        "",
        "Generated from the code of `nps_xl.excel.udfs` each time this site is built: the",
        "description of each function and argument is the text Excel's *Insert Function* dialog",
        "shows. Examples with results on the sample survey, the rules every argument follows and",
        "how to make the functions appear in Excel are on",
        "[Excel functions](../excel-functions.md).",
        "",
        "| function | what it returns |",
        "|---|---|",
    ]
    for f in functions:
        first = paragraph(f["description"]).split("\n\n")[0]
        anchor = f["name"].lower()
        lines.append(f"| [{f['name']}](#{anchor}) | {cell(first)} |")
    for f in functions:
        lines += ["", f"## {f['name']}", "", f"`={f['signature']}`", ""]
        lines += [paragraph(f["description"]), ""]
        if f["arguments"]:
            lines += ["| argument | default | what it takes |", "|---|---|---|"]
            for a in f["arguments"]:
                lines.append(f"| `{a['name']}` | {_default(a)} | {cell(a['doc'])} |")
        if f["category"]:
            lines += ["", f"Listed under *{f['category']}* in Insert Function (Windows)."]
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- command line


def cli_commands() -> list[dict]:
    """Every command of ``nps-xl``, depth first: ``{"path", "usage", "help", "options",
    "commands"}``; ``options`` are ``(names, help)`` pairs exactly as ``--help`` prints them
    (``get_help_record``), ``commands`` the names of a group's subcommands."""
    import typer

    from nps_xl.cli import app

    root = typer.main.get_command(app)
    found = []

    def walk(command, path: list[str], parent) -> None:
        ctx = command.context_class(command, info_name=path[-1], parent=parent)
        subcommands = getattr(command, "commands", None) or {}
        options = []
        for parameter in command.get_params(ctx):
            record = parameter.get_help_record(ctx)
            if record is None:  # hidden
                continue
            options.append(record)
        usage = " ".join([*path, *command.collect_usage_pieces(ctx)])
        found.append(
            {
                "path": path,
                "usage": usage,
                "help": command.help or "",
                "options": options,
                "commands": list(subcommands),
            }
        )
        for name, sub in subcommands.items():
            if not getattr(sub, "hidden", False):
                walk(sub, [*path, name], ctx)

    walk(root, ["nps-xl"], None)
    return found


def _slug(path: list[str]) -> str:
    return "-".join(path)


def cli_reference() -> str:
    """The Markdown page of every ``nps-xl`` command and option."""
    commands = cli_commands()
    lines = [
        "# Command-line reference",
        "",
        "Generated from `nps-xl` itself (`nps_xl.cli.app`) each time this site is built: the",
        "usage, help and options each command's `--help` prints. What the options do in detail,",
        "the inputs, safe writes and exit codes are on [The command line](../cli.md).",
    ]
    for c in commands:
        title = " ".join(c["path"])
        lines += ["", f"## {title} {{ #{_slug(c['path'])} }}", "", "```text", c["usage"], "```"]
        if c["help"]:
            lines += ["", paragraph(c["help"])]
        if c["commands"]:
            lines += [
                "",
                "Commands: "
                + ", ".join(f"[{name}](#{_slug([*c['path'], name])})" for name in c["commands"])
                + ".",
            ]
        if c["options"]:
            lines += ["", "| option | what it does |", "|---|---|"]
            lines += [f"| {code(names)} | {cell(text)} |" for names, text in c["options"]]
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- the hook


def pages() -> dict[str, str]:
    """Every generated page, by its path in the site."""
    return {
        "index.md": front_page(),
        "reference/excel-functions.md": excel_reference(),
        "reference/cli.md": cli_reference(),
    }


def on_files(files, config):
    from mkdocs.structure.files import File

    for path, content in pages().items():
        if files.get_file_from_path(path) is not None:
            raise SystemExit(
                f"docs/{path} is made when the site is built ({__name__}); remove the file"
                + (" and edit README.md instead" if path == "index.md" else "")
            )
        files.append(File.generated(config, path, content=content))
    return files
