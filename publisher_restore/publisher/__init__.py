"""The publisher's foundations: what push, pull and sync packs are built from.

Modules: ``order`` (uSync's write/import order, one table), ``item_spec`` (``--item
TYPE:ALIAS_OR_KEY``), ``lookup`` (the one place items are found by Key then Alias),
``references`` (what one item needs), ``selection`` (a selection expanded with its
dependencies), ``pack_manifest``, ``pack_writer`` and ``pack_export`` (the ``.usync`` sync
pack, ``docs/pack-format.md``), ``auth`` and ``nonces`` (signed requests between sites),
``settings`` (``uSync:Restore:Publisher``), ``errors``.
"""
