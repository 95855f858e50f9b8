// targets_for_year($year: int) — quantitative targets whose target_year equals $year.
// One row per Target. path = Target.where; value as printed (a string).
// Columns: doc, path, indicator, value, unit, comparator, target_year, quote.
// Order: doc, position in the text, path, indicator, value, then unit, comparator, target_year, quote.
MATCH (tg:Target)
WHERE tg.target_year = $year AND tg.indicator IS NOT NULL AND tg.value IS NOT NULL AND tg.unit IS NOT NULL
  AND tg.comparator IS NOT NULL AND tg.quote IS NOT NULL
MATCH (d:Document {id: tg.doc})
WITH d.id AS doc, tg.where AS path, tg.indicator AS indicator, tg.value AS value, tg.unit AS unit,
     tg.comparator AS comparator, tg.target_year AS target_year, tg.quote AS quote, tg.quote_start AS at
ORDER BY doc, at, path, indicator, value, unit, comparator, target_year, quote
RETURN doc, path, indicator, value, unit, comparator, target_year, quote
