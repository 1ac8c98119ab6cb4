/**
 * The alert webhook URL as pasted → what is saved (secret part replaced by SNOWFLAKE_WEBHOOK_SECRET) and the secret
 * part (src/config/alert-answers.ts): Slack, both Microsoft Teams forms (port 443 left out, as Snowflake requires),
 * PagerDuty with its integration key; anything else refused with a typed error, the URL's secret never echoed.
 */
import { describe, expect, it } from 'vitest';
import { parseWebhookUrl, webhookRequest } from '../../src/config/alert-answers.js';

describe('parseWebhookUrl', () => {
  it('Slack: the path after /services/ is the secret', () => {
    expect(parseWebhookUrl('https://hooks.slack.com/services/T1/B2/abc', 'env')).toEqual({ webhook: { kind: 'slack', url: 'https://hooks.slack.com/services/SNOWFLAKE_WEBHOOK_SECRET' }, secret: 'T1/B2/abc' });
  });

  it('Teams (logic.azure.com, :443 dropped) and Teams (powerplatform.com)', () => {
    expect(parseWebhookUrl('https://prod-01.westeurope.logic.azure.com:443/workflows/abc/triggers/manual/paths/invoke?sig=s3cr3t', 'env')).toEqual({
      webhook: { kind: 'teams', url: 'https://prod-01.westeurope.logic.azure.com/workflows/SNOWFLAKE_WEBHOOK_SECRET' },
      secret: 'abc/triggers/manual/paths/invoke?sig=s3cr3t',
    });
    const next = parseWebhookUrl('https://default123.environment.api.powerplatform.com/powerautomate/automations/direct/workflows/wf1/triggers/manual/paths/invoke?sig=x', 'env');
    expect(next.webhook).toEqual({ kind: 'teams', url: 'https://default123.environment.api.powerplatform.com/powerautomate/automations/direct/workflows/SNOWFLAKE_WEBHOOK_SECRET' });
  });

  it('PagerDuty: the integration key after # goes in the body (routing_key), the URL is the Events v2 endpoint', () => {
    const parsed = parseWebhookUrl('https://events.pagerduty.com/v2/enqueue#R0UTINGKEY', 'env');
    expect(parsed.secret).toBe('R0UTINGKEY');
    const request = webhookRequest(parsed.webhook);
    expect(request.url).toBe('https://events.pagerduty.com/v2/enqueue');
    expect(JSON.parse(request.bodyTemplate)).toMatchObject({ routing_key: 'SNOWFLAKE_WEBHOOK_SECRET', event_action: 'trigger', payload: { summary: 'SNOWFLAKE_WEBHOOK_MESSAGE' } });
  });

  it('refuses http and other hosts without echoing the URL', () => {
    for (const [url, code] of [['http://hooks.slack.com/services/T/B/secretpart', 'ALERT_WEBHOOK_NOT_HTTPS'], ['https://example.com/secretpart', 'ALERT_WEBHOOK_UNSUPPORTED'], ['https://events.pagerduty.com/v2/enqueue', 'ALERT_WEBHOOK_UNSUPPORTED']] as const) {
      let error: { code?: string; message?: string; suggestion?: string } | undefined;
      try {
        parseWebhookUrl(url, 'env BATCH_ALERT_WEBHOOK_URL');
      } catch (e) {
        error = e as typeof error;
      }
      expect(error?.code).toBe(code);
      expect(`${error?.message} ${error?.suggestion}`).not.toContain('secretpart');
    }
  });
});
