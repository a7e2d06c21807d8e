"""Media-framing analysis workbook."""
