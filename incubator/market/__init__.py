"""The market-opportunity dataset: the catalogue of ventures, sectors and regions, its seed files,
the classifications (ESCO, ISCO-08, SBI, CEFR, ISCED) and the arrays the suggestions compute on."""
