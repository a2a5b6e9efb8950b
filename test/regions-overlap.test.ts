import { describe, expect, test } from 'vitest';
import { regionOverlap } from '../src/core/regions/overlap.js';

describe('regionOverlap()', () => {
  test('the same region is exact with score 1', () => {
    expect(regionOverlap(['aws:eu-west-1'], ['aws:eu-west-1'])).toEqual({
      relation: 'exact',
      score: 1,
      vendorRegion: 'aws:eu-west-1',
      ourRegion: 'aws:eu-west-1',
    });
  });

  test('a vendor region that contains ours is contains, scored lower the further apart they are', () => {
    const country = regionOverlap(['country:ie'], ['aws:eu-west-1']);
    const macro = regionOverlap(['macro:europe'], ['aws:eu-west-1']);
    expect(country).toMatchObject({ relation: 'contains', score: 0.9 });
    expect(macro).toMatchObject({ relation: 'contains', score: 0.85, vendorRegion: 'macro:europe' });
    expect(regionOverlap(['global'], ['aws:eu-west-1'])).toMatchObject({ relation: 'contains', score: 0.8 });
  });

  test('a vendor region inside ours is within, scored below contains', () => {
    expect(regionOverlap(['site:fra'], ['macro:europe'])).toMatchObject({ relation: 'within', score: 0.8 });
    expect(regionOverlap(['site:fra'], ['country:de'])).toMatchObject({ relation: 'within', score: 0.85 });
  });

  test('two regions in the same city are exact at 0.9 (a PoP and a cloud region in Frankfurt)', () => {
    expect(regionOverlap(['site:fra'], ['aws:eu-central-1'])).toMatchObject({
      relation: 'exact',
      score: 0.9,
    });
  });

  test('a loose membership counts as contains or within at 0.7', () => {
    expect(regionOverlap(['macro:asia-pacific'], ['aws:ap-southeast-2'])).toMatchObject({
      relation: 'contains',
      score: 0.7,
    });
    expect(regionOverlap(['site:mex'], ['macro:latin-america'])).toMatchObject({
      relation: 'within',
      score: 0.7,
    });
  });

  test('regions that do not overlap are disjoint with score 0', () => {
    expect(regionOverlap(['macro:north-america'], ['aws:eu-west-1'])).toEqual({
      relation: 'disjoint',
      score: 0,
      vendorRegion: 'macro:north-america',
      ourRegion: 'aws:eu-west-1',
    });
    expect(regionOverlap(['site:ams'], ['aws:eu-central-1']).relation).toBe('disjoint');
  });

  test('no vendor region is unknown, never global', () => {
    expect(regionOverlap([], ['aws:eu-west-1'])).toEqual({
      relation: 'unknown',
      score: 0.3,
      vendorRegion: null,
      ourRegion: 'aws:eu-west-1',
    });
    expect(regionOverlap(['macro:europe'], [])).toMatchObject({
      relation: 'unknown',
      vendorRegion: 'macro:europe',
    });
    expect(regionOverlap(['Atlantis'], ['aws:eu-west-1']).relation).toBe('unknown');
  });

  test('the best pair wins: exact over contains/within over disjoint', () => {
    expect(regionOverlap(['macro:north-america', 'site:fra'], ['aws:eu-central-1'])).toMatchObject({
      relation: 'exact',
      vendorRegion: 'site:fra',
    });
    expect(regionOverlap(['macro:europe', 'aws:eu-west-1'], ['country:us', 'aws:eu-west-1'])).toMatchObject({
      relation: 'exact',
      score: 1,
      vendorRegion: 'aws:eu-west-1',
    });
    expect(
      regionOverlap(['macro:asia-pacific', 'macro:europe'], ['country:us', 'aws:eu-west-1']),
    ).toMatchObject({
      relation: 'contains',
      vendorRegion: 'macro:europe',
      ourRegion: 'aws:eu-west-1',
    });
  });

  test('team labels and vendor free text are resolved before comparing', () => {
    expect(regionOverlap(['Europe'], ['eu-west-1'])).toMatchObject({
      relation: 'contains',
      vendorRegion: 'macro:europe',
      ourRegion: 'aws:eu-west-1',
    });
    expect(regionOverlap(['EU (Frankfurt)'], ['eu'])).toMatchObject({ relation: 'within' });
    expect(regionOverlap(['us'], ['us-east-1'])).toMatchObject({
      relation: 'contains',
      vendorRegion: 'country:us',
    });
  });
});
