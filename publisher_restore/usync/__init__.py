"""The uSync item model: safe XML parsing, one parser per item family, a Key/Alias index.

Modules: ``xmlsafe`` (hostile-input parsing), ``parse`` (``parse_item``), ``parsers/``
(one module per family), ``loader`` (``load_items``, ``parse_file_bytes``, ``ItemSet``),
``index`` (``ItemIndex``), ``folders`` (``HANDLER_FOLDERS``), ``diff`` (``diff_items``,
``tracked_values``, ``ChangeDetail``; the watched paths in ``diff_paths``) and
``models`` (the shared contract).
"""
