import { describe, expect, test } from 'vitest';
import { htmlToText, safeHtml } from '../src/core/text.js';

describe('safeHtml()', () => {
  test('drops scripts, event handlers, styles and javascript: links', () => {
    const hostile =
      '<p onclick="x()">Fixed <script>alert(1)</script><img src=x onerror="alert(2)">' +
      '<a href="javascript:alert(3)">here</a> <a href="https://status.example.com/i/1" style="color:red">more</a>' +
      '<span style="background:url(https://evil.example/x)">styled</span></p>';
    const out = safeHtml(hostile);
    expect(out).not.toMatch(/script|onerror|onclick|javascript:|style=|<img/i);
    expect(out).toContain(
      '<a href="https://status.example.com/i/1" rel="noopener noreferrer nofollow">more</a>',
    );
    expect(out).toContain('styled');
  });

  test('escaped markup in text stays escaped', () => {
    expect(safeHtml('<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>')).toBe(
      '<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>',
    );
  });

  test('htmlToText() decodes entities into plain text, which callers must escape before rendering', () => {
    expect(htmlToText('<p>&lt;script&gt; in a body</p>')).toBe('<script> in a body');
  });
});
