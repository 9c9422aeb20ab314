"""The workbook importer: bytes in, an ImportPlan (records + report) out; no Streamlit."""
