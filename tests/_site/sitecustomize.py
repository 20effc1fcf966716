"""Imported at start-up by every Python process of a test run (``make test`` and the root
conftest.py put this folder on ``PYTHONPATH``): pytest, the notebook workers and zygotes, child
pytests, ``crmlib`` commands, Sphinx, JupyterLab and the kernels.

It keeps ``rfc3987_syntax`` from being imported. jsonschema imports it at start-up to check the
``iri`` and ``iri-reference`` formats (jsonschema[format-nongpl], asked for by jupyter-events), and
that import builds ~35 Earley parsers with lark: 1.1-1.2 s of CPU in every process that imports
nbformat, JupyterLab or papermill, some forty processes per run (python-jsonschema/jsonschema#1428).
No schema of nbformat, jupyter-events or jupyterlab_server uses those formats, so nothing the tests
check changes; without the module jsonschema simply has no checker for them. Users' processes are
left alone.
"""

import sys

sys.modules.setdefault("rfc3987_syntax", None)  # `import rfc3987_syntax` now raises ImportError
