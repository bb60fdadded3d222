"""Output formats several apps share: charts (SVG/PNG), XLSX workbooks and CSV downloads.

A plain package, not a Django app: no models, and nothing here imports from the
project's apps, so any app may use it without an import cycle.

- ``outputs.charts``     bar charts, histograms and line charts with Chinese text (matplotlib)
- ``outputs.fonts``      the charts' Chinese font, from the mplfonts package
- ``outputs.xlsx``       one sheet from headers and rows, and the download response
- ``outputs.csv``        a CSV download Excel opens with the Chinese intact
- ``outputs.downloads``  the attachment header every browser reads
"""
