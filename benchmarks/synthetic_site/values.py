"""Property values as Umbraco stores them and uSync exports them, per property editor."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from benchmarks.synthetic_site.render import PropertyValues, json_value
from benchmarks.synthetic_site.schema import (
    ARTICLE_CATEGORIES,
    CONTENT_TYPE_BY_ALIAS,
    DATA_TYPE_BY_NAME,
    Prop,
)
from benchmarks.synthetic_site.words import Text

EPOCH = datetime(2019, 1, 1)
THEMES = ("1b264f", "274690", "576ca8", "f5f3f5", "e0a458")
BLOCK_TYPES = ("textBlock", "imageBlock", "quoteBlock", "videoBlock", "callToActionBlock")


def udi(kind: str, key: str) -> str:
    return f"umb://{kind}/{key.replace('-', '')}"


@dataclass
class ValueContext:
    """What values may point at: content created so far and media items."""

    text: Text
    content_keys: list[str] = field(default_factory=list)
    image_keys: list[str] = field(default_factory=list)

    def pick(self, keys: list[str]) -> str | None:
        return self.text.rng.choice(keys) if keys else None


Maker = Callable[[ValueContext, Prop, str], str]


def date(ctx: ValueContext, with_time: bool) -> str:
    moment = EPOCH + timedelta(minutes=ctx.text.rng.randrange(6 * 365 * 24 * 60))
    return moment.strftime("%Y-%m-%dT%H:%M:00" if with_time else "%Y-%m-%dT00:00:00")


def media_picker(ctx: ValueContext, count: int) -> str:
    picked = [ctx.pick(ctx.image_keys) for _ in range(count)]
    return json_value([{"key": ctx.text.key(), "mediaKey": key} for key in picked if key])


def links(ctx: ValueContext, count: int) -> str:
    items = []
    for _ in range(count):
        target = ctx.pick(ctx.content_keys)
        if target and ctx.text.rng.random() < 0.7:
            items.append({"name": ctx.text.title(1, 3), "udi": udi("document", target)})
        else:
            host = "-".join(ctx.text.words(2))
            items.append(
                {
                    "name": ctx.text.title(1, 2),
                    "target": "_blank",
                    "url": f"https://{host}.example.com/",
                }
            )
    return json_value(items)


def textbox(ctx: ValueContext, prop: Prop, culture: str) -> str:
    rng = ctx.text.rng
    if prop.alias == "email":
        return f"{ctx.text.words(1)[0]}.{ctx.text.words(1)[0]}@example.org"
    if prop.alias == "sku":
        return f"SKU-{rng.randrange(10**6):06d}"
    if prop.alias == "videoUrl":
        return f"https://www.youtube.com/watch?v={ctx.text.key()[:11]}"
    if prop.alias == "googleAnalyticsId":
        return f"G-{rng.randrange(16**8):08X}"
    return ctx.text.sentence(culture, 2, 7)[:-1]


def textarea(ctx: ValueContext, prop: Prop, culture: str) -> str:
    if prop.alias == "mapEmbed":
        return (
            f'<iframe src="https://maps.example.com/embed?q={ctx.text.key()}" width="600"></iframe>'
        )
    return ctx.text.paragraph(culture, 3)


def block_list(ctx: ValueContext, prop: Prop, culture: str) -> str:
    """A Block List value (Umbraco 9-13): layout, contentData, settingsData."""
    rng, text = ctx.text.rng, ctx.text
    kinds = (
        ["callToActionBlock"] if prop.data_type.endswith("Call To Action") else list(BLOCK_TYPES)
    )
    layout, content, settings = [], [], []
    for _ in range(1 if len(kinds) == 1 else rng.randint(1, 3)):
        kind = rng.choice(kinds)
        content_udi, settings_udi = udi("element", text.key()), udi("element", text.key())
        data: dict[str, str] = {
            "contentTypeKey": CONTENT_TYPE_BY_ALIAS[kind].key,
            "udi": content_udi,
        }
        data.update(_block_fields(ctx, kind, culture))
        content.append(data)
        entry = {"contentUdi": content_udi}
        if len(kinds) > 1:
            entry["settingsUdi"] = settings_udi
            settings.append(
                {
                    "contentTypeKey": CONTENT_TYPE_BY_ALIAS["blockSettings"].key,
                    "udi": settings_udi,
                    "hide": "0",
                    "theme": rng.choice(THEMES),
                }
            )
        layout.append(entry)
    return json_value(
        {"layout": {"Umbraco.BlockList": layout}, "contentData": content, "settingsData": settings}
    )


def _block_fields(ctx: ValueContext, kind: str, culture: str) -> dict[str, str]:
    text = ctx.text
    if kind == "textBlock":
        return {"title": text.sentence(culture, 2, 6)[:-1], "text": text.rich_text(culture, 2)}
    if kind == "imageBlock":
        # Nested editors store their own JSON as a string inside the block (as Umbraco does).
        image = media_picker(ctx, 1).replace("\n", "\r\n")
        return {"image": image, "caption": text.sentence(culture, 3, 8)[:-1]}
    if kind == "quoteBlock":
        return {"quote": text.paragraph(culture, 2), "citation": text.title(2, 2)}
    if kind == "videoBlock":
        return {"videoUrl": f"https://www.youtube.com/watch?v={text.key()[:11]}", "caption": ""}
    link = links(ctx, 1).replace("\n", "\r\n")
    return {
        "title": text.sentence(culture, 2, 5)[:-1],
        "text": text.paragraph(culture, 2),
        "link": link,
    }


def dropdown(ctx: ValueContext, prop: Prop, culture: str) -> str:
    items = DATA_TYPE_BY_NAME[prop.data_type].config.get("Items") or []
    choices = [item["value"] for item in items] or list(ARTICLE_CATEGORIES)
    return json.dumps([ctx.text.rng.choice(choices)])


def tags(ctx: ValueContext, prop: Prop, culture: str) -> str:
    return json.dumps(sorted(set(ctx.text.words(ctx.text.rng.randint(1, 5)))), ensure_ascii=False)


def content_picker(ctx: ValueContext, prop: Prop, culture: str) -> str:
    key = ctx.pick(ctx.content_keys)
    return udi("document", key) if key else ""


def tree_picker(ctx: ValueContext, prop: Prop, culture: str) -> str:
    keys = {ctx.pick(ctx.content_keys) for _ in range(ctx.text.rng.randint(1, 6))}
    return ",".join(udi("document", key) for key in sorted(k for k in keys if k))


def media3(ctx: ValueContext, prop: Prop, culture: str) -> str:
    multiple = bool(DATA_TYPE_BY_NAME[prop.data_type].config.get("Multiple"))
    return media_picker(ctx, ctx.text.rng.randint(1, 6) if multiple else 1)


MAKERS: dict[str, Maker] = {
    "Umbraco.TextBox": textbox,
    "Umbraco.TextArea": textarea,
    "Umbraco.TinyMCE": lambda ctx, prop, culture: ctx.text.rich_text(culture, 3),
    "Umbraco.TrueFalse": lambda ctx, prop, culture: "1" if ctx.text.rng.random() < 0.2 else "0",
    "Umbraco.Integer": lambda ctx, prop, culture: str(ctx.text.rng.choice((6, 9, 12, 24))),
    "Umbraco.Decimal": lambda ctx, prop, culture: (
        f"{ctx.text.rng.randrange(100, 100000) / 100:.2f}"
    ),
    "Umbraco.DateTime": lambda ctx, prop, culture: date(ctx, "time" in prop.data_type),
    "Umbraco.Tags": tags,
    "Umbraco.ContentPicker": content_picker,
    "Umbraco.MultiNodeTreePicker": tree_picker,
    "Umbraco.MediaPicker3": media3,
    "Umbraco.MultiUrlPicker": lambda ctx, prop, culture: links(ctx, ctx.text.rng.randint(1, 3)),
    "Umbraco.DropDown.Flexible": dropdown,
    "Umbraco.BlockList": block_list,
    "Umbraco.ColorPicker": lambda ctx, prop, culture: ctx.text.rng.choice(THEMES),
}


def property_values(
    ctx: ValueContext, props: list[Prop], cultures: list[str], variant: bool
) -> PropertyValues:
    """Every property's values: one per culture when it varies, else one; some left empty."""
    result: PropertyValues = []
    default = cultures[0]
    for prop in props:
        editor = DATA_TYPE_BY_NAME[prop.data_type].editor
        per_culture: list[str | None] = [None]
        if variant and prop.culture:
            per_culture = [*sorted(cultures)]
        values: list[tuple[str | None, str]] = []
        for culture in per_culture:
            blank = not prop.mandatory and ctx.text.rng.random() < 0.25
            value = "" if blank else MAKERS[editor](ctx, prop, culture or default)
            values.append((culture, value))
        result.append((prop.alias, values))
    return result
