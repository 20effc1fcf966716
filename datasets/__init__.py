"""The workbook's bundled data, installed as the package ``crmlib._data``.

Read the files with ``crmlib.datasets.load_dataset(name)``; the datasheet is README.md here.
"""
