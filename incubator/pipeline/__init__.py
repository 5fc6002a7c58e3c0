"""The programme's pipeline as a manager follows it: stages, impact figures, the Excel workbook a
manager lives in and its round trip. Reads the layers below; never writes personal free text."""
