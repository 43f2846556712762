import { operation } from '../../operation.js';
import { checkDryRun, ec2Errors } from '../shared/errors.js';
import { instanceEntry, requireInstance, stateOf, type MetadataOptions } from './instance-rows.js';

interface ModifyInput extends Partial<MetadataOptions> {
  InstanceId: string;
  DryRun?: boolean;
}

/** ModifyInstanceMetadataOptions: HttpTokens (IMDSv1 allowed or not), hop limit, endpoint, tags in metadata. */
export const ModifyInstanceMetadataOptions = operation({
  writes: true,
  authorize: (ctx, input: ModifyInput) => {
    const entry = instanceEntry(ctx, 'ec2:ModifyInstanceMetadataOptions', input.InstanceId);
    // The new values are what the condition keys describe.
    const context = { ...entry.context };
    if (input.HttpTokens) context['ec2:MetadataHttpTokens'] = input.HttpTokens;
    if (input.HttpEndpoint) context['ec2:MetadataHttpEndpoint'] = input.HttpEndpoint;
    if (input.HttpPutResponseHopLimit !== undefined) context['ec2:MetadataHttpPutResponseHopLimit'] = String(input.HttpPutResponseHopLimit);
    if (input.InstanceMetadataTags) context['ec2:InstanceMetadataTags'] = input.InstanceMetadataTags;
    return { ...entry, context };
  },
  run: (ctx, input: ModifyInput) => {
    const row = requireInstance(ctx, input.InstanceId);
    if (stateOf(row, ctx.now).name === 'terminated') throw ec2Errors.incorrectInstanceState(row.instance_id, 'modified');
    const hop = input.HttpPutResponseHopLimit;
    if (hop !== undefined && (hop < 1 || hop > 64)) {
      throw ec2Errors.invalidParameterValue(`Value (${hop}) for parameter HttpPutResponseHopLimit is invalid. Valid values are between 1 and 64.`);
    }
    checkDryRun(input);
    const options = JSON.parse(row.metadata_options) as MetadataOptions;
    const next: MetadataOptions = {
      HttpTokens: input.HttpTokens ?? options.HttpTokens,
      HttpPutResponseHopLimit: hop ?? options.HttpPutResponseHopLimit,
      HttpEndpoint: input.HttpEndpoint ?? options.HttpEndpoint,
      HttpProtocolIpv6: input.HttpProtocolIpv6 ?? options.HttpProtocolIpv6,
      InstanceMetadataTags: input.InstanceMetadataTags ?? options.InstanceMetadataTags,
    };
    ctx.store.prepare('UPDATE ec2_instances SET metadata_options = ? WHERE account_id = ? AND instance_id = ?').run(JSON.stringify(next), ctx.accountId, row.instance_id);
    return { InstanceId: row.instance_id, InstanceMetadataOptions: { State: 'pending', ...next } };
  },
});
