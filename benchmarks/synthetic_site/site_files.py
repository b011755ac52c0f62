"""Razor views and static css/js files of realistic sizes."""

from __future__ import annotations

import math
from pathlib import Path

from benchmarks.synthetic_site.schema import ELEMENTS, PAGES, TEMPLATES
from benchmarks.synthetic_site.words import Text

FIXED_PARTIALS = ("Navigation", "Footer", "MetaTags", "Breadcrumb", "Pagination", "CookieBanner")


def view_paths(count: int) -> list[tuple[str, str]]:
    """(site-relative path, model alias) for ``count`` views: templates first, then partials."""
    paths = [("Views/_ViewImports.cshtml", "")]
    paths += [(f"Views/{t.alias}.cshtml", _model(t.alias)) for t in TEMPLATES]
    paths += [(f"Views/Partials/{name}.cshtml", "") for name in FIXED_PARTIALS]
    paths.append(("Views/Partials/blocklist/default.cshtml", ""))
    paths += [
        (f"Views/Partials/blocklist/Components/{e.alias}.cshtml", e.alias)
        for e in ELEMENTS
        if e.alias != "blockSettings"
    ]
    extra = 0
    while len(paths) < count:
        extra += 1
        paths.append((f"Views/Partials/Components/Component{extra:03d}.cshtml", ""))
    return paths[:count]


def _model(template_alias: str) -> str:
    for page in PAGES:
        if page.template_alias == template_alias:
            return page.alias
    return ""


def razor(text: Text, model: str, target_bytes: int) -> str:
    """A Razor view: directives, then markup with model access until it reaches the size."""
    model_class = model[:1].upper() + model[1:] if model else "IPublishedContent"
    lines = [
        f"@inherits Umbraco.Cms.Web.Common.Views.UmbracoViewPage<{model_class}>",
        "@using Umbraco.Cms.Core.Models.Blocks",
        "@using Umbraco.Extensions",
        "@{",
        '    Layout = "Master.cshtml";',
        "}",
    ]
    size = sum(len(line) + 1 for line in lines)
    while size < target_bytes:
        words = text.words(3)
        block = [
            f'<section class="{words[0]}-{words[1]}">',
            f'    <h2>@Model.Value("{words[2]}Title")</h2>',
            f'    @if (Model.HasValue("{words[0]}"))',
            "    {",
            f'        <div class="{words[1]}">@Html.Raw(Model.Value<string>("{words[0]}"))</div>',
            "    }",
            "    @foreach (var item in Model.Children.Where(x => x.IsVisible())"
            f".Take({text.rng.randint(3, 12)}))",
            "    {",
            '        <a href="@item.Url()">@item.Name</a>',
            "    }",
            f"    <p>{text.sentence('en-us')}</p>",
            "</section>",
        ]
        lines += block
        size += sum(len(line) + 1 for line in block)
    return "\n".join(lines) + "\n"


def css(text: Text, target_bytes: int, minified: bool) -> str:
    rules = []
    size = 0
    while size < target_bytes:
        a, b, c = text.words(3)
        rule = (
            f".{a}-{b} .{c} {{ margin: {text.rng.randint(0, 40)}px {text.rng.randint(0, 40)}px; "
            f"color: #{text.rng.randrange(16**6):06x}; font-size: {text.rng.randint(10, 48)}px; }}"
        )
        rules.append(rule.replace(" ", "") if minified else rule)
        size += len(rule) + 1
    return (
        ("" if minified else "/* generated stylesheet */\n")
        + ("" if minified else "\n").join(rules)
        + "\n"
    )


def javascript(text: Text, target_bytes: int, minified: bool) -> str:
    parts: list[str] = []
    size = 0
    while size < target_bytes:
        a, b, c = text.words(3)
        body = (
            f"function {a}_{b}{len(parts)}(el, opts) {{\n"
            f"  const {c} = document.querySelectorAll('.{a}-{b}');\n"
            f"  {c}.forEach((node, i) => node.classList.toggle('{c}', "
            f"i % {text.rng.randint(2, 5)} === 0));\n"
            f"  return opts && opts.{b} ? {c}.length : {text.rng.randint(0, 999)};\n"
            "}\n"
        )
        parts.append(" ".join(body.split()) if minified else body)
        size += len(body)
    return ("" if minified else "'use strict';\n") + ("" if minified else "\n").join(parts) + "\n"


def _size(text: Text, low: int, high: int) -> int:
    return int(math.exp(text.rng.uniform(math.log(low), math.log(high))))


def write_views(root: Path, text: Text, count: int) -> None:
    for rel_path, model in view_paths(count):
        target = root / rel_path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(razor(text, model, _size(text, 600, 12_000)), encoding="utf-8")


def static_paths(count: int) -> list[str]:
    """Static files in every folder the static scope covers (wwwroot, css, js, scripts)."""
    fixed = ["wwwroot/css/site.css", "wwwroot/js/site.js", "wwwroot/service-worker.js"]
    folders = ("wwwroot/css", "wwwroot/js", "wwwroot/scripts")
    paths = fixed[:count]
    index = 0
    while len(paths) < count:
        folder = folders[index % len(folders)]
        suffix = "css" if folder.endswith("css") else "js"
        kind = "vendor" if index % 7 == 0 else "module"
        minified = ".min" if kind == "vendor" else ""
        paths.append(f"{folder}/{kind}-{index:03d}{minified}.{suffix}")
        index += 1
    return paths


def write_static(root: Path, text: Text, count: int) -> None:
    for rel_path in static_paths(count):
        minified = ".min." in rel_path
        size = _size(text, 60_000, 250_000) if minified else _size(text, 1_000, 60_000)
        body = (
            css(text, size, minified)
            if rel_path.endswith(".css")
            else javascript(text, size, minified)
        )
        target = root / rel_path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(body, encoding="utf-8")
