"""The publisher's foundations: what push, pull and sync packs are built from.

Modules: ``order`` (uSync's write/import order, one table), ``item_spec`` (``--item
TYPE:ALIAS_OR_KEY``), ``lookup`` (the one place items are found by Key then Alias),
``references`` (what one item needs), ``selection`` (a selection expanded with its
dependencies), ``collect`` (a site's selection as a pack: the first step of push and pull),
``pack_manifest``, ``pack_writer``, ``pack_export`` and ``pack_reader`` (the ``.usync``
sync pack and every check a reader makes, ``docs/pack-format.md``), ``site_writer`` (one
file into a site: atomic, never through a link), ``markers`` (uSync's Delete marker),
``auth`` and ``nonces`` (signed requests between sites), ``settings``
(``uSync:Restore:Publisher``), ``errors``.
"""
