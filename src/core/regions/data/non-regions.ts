/**
 * Phrases that contain a place name but name something else: carriers and products. The extractor
 * matches them like aliases (longest first) and reports nothing for them, so "China Mobile Hong
 * Kong" yields Hong Kong only and "Global Protect" no region at all.
 */
export const NON_REGION_PHRASES: string[] = [
  'China Mobile',
  'China Unicom',
  'China Telecom',
  'China Network',
  'Global Protect',
  'GlobalProtect',
];
