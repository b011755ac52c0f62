"""Built-in plugins: local storage, the analyser's rules, the restore-point policy.

They use the same hooks as any outside plugin; ``plugin_manager`` registers them.
"""
