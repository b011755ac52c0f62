"""The uSync item model: where items come from, how they parse, which item is which.

Modules: ``folders`` (handler folders, version-folder discovery), ``sources`` (item files from
a folder or memory: ``SourceFile``, ``ItemFiles``) and ``zip_source`` (a hostile zip),
``xmlsafe`` (hostile-input parsing), ``parse`` (``parse_item``), ``parsers/`` (one module per
family), ``loader`` (``load_source``, ``load_items``, ``parse_file_bytes``, ``ItemSet``),
``identity`` (alias and culture folding, version grouping, ``ItemIndex``: Key, then Alias),
``pairing`` (``pair``: two sides paired, duplicates and Empty markers resolved), ``diff``
(``diff_items``, ``tracked_values``, ``ChangeDetail``; the watched paths in ``diff_paths``)
and ``models`` (the shared contract).
"""
