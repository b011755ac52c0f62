"""Operations: what the CLI, the dashboard and the pipeline do to a site, each in two steps.

``prepare`` returns a plan value (printable, JSON-able, storable) with the changes, the
analyser's findings, a decision request and a plan token; ``execute(plan, decision)``
re-checks the token against the site and returns a result value.

- ``restore_points``: create, list, show, verify, delete, pin, prune, recover.
- ``restore``: check (prepare) and restore (execute) a restore point.
- ``analysis``: two item sources in, an ``AnalysisResult`` out.
- ``decisions``, ``decide``, ``policy``: the decision request, the hook's answer, the
  configured policy; ``contexts``: the values hooks receive.
- ``plans``, ``tokens``, ``restore_inputs``: plan values and their tokens.
- ``pending``: prepared operations waiting for a person's answer.
- ``site_lock``, ``environment``: the lock one operation holds, what operations share.
- The publisher pipeline: ``pipeline`` (the steps of push, pull and pack import, the target
  side and the driver), ``steps``, ``import_plan``/``import_prepare``/``import_execute``
  (plan, prepare, write), ``answers`` (a prompt answered), ``pack_sources``, ``push``,
  ``pull``, ``pack_import``, ``remote`` and ``remote_protocol`` (over HTTP),
  ``incoming_packs`` (packs a server keeps between prepare and execute).
- ``history`` (every operation that wrote the site), ``undo`` and ``undo_plan``.
"""
