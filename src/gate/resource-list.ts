/** What resources/list and resources/templates/list show: static, so listing loads nothing heavy. */
export const RESOURCE_TEMPLATES = [
  {
    uriTemplate: 'result://{handle}{?offset,limit}',
    name: 'result',
    title: 'Full result of a truncated call',
    description: 'Rows of a truncated result, paged with offset and limit. Bound to the principal that made the call; expires.',
    mimeType: 'application/json',
  },
];

export const STATIC_RESOURCES = [
  { uri: 'connectors://', name: 'connectors', title: 'Connectors', description: 'The connectors you may list, as JSON.', mimeType: 'application/json' },
];
