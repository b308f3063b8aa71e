// @ts-check
// The asset page's Automation panel: the asset's latest kept automation evaluation, as a tree of
// its condition's nodes, each true or false (counted over partitions for a partitioned asset).
import { call } from '../api.js';
import { chip, errorBox, h, time } from '../dom.js';

/** @typedef {import('../../api-contract.js').EvaluationNode} EvaluationNode */

/** @param {EvaluationNode} node @param {string} root */
function verdict(node, root) {
  if (node.candidateCount === 0) return h('span', { class: 'muted' }, 'not evaluated');
  const unpartitioned = node.candidateCount === 1 && node.candidates[0] === '';
  if (unpartitioned) return chip(node.trueCount > 0 ? 'true' : 'false');
  const on = node.asset === root ? '' : ` of ${node.asset}`;
  return h('span', {}, chip(node.trueCount > 0 ? 'true' : 'false'), ` ${node.trueCount} of ${node.candidateCount} partition(s)${on}`);
}

/** @param {EvaluationNode} node @param {string} root @returns {HTMLElement} */
function tree(node, root) {
  return h('li', {},
    h('span', { class: 'label' }, node.label), node.check ? h('span', { class: 'muted' }, ` [check ${node.check}]`) : null, ' ', verdict(node, root),
    node.children.length > 0 ? h('ul', {}, node.children.map((child) => tree(child, root))) : null);
}

/** @param {string} key @returns {Promise<HTMLElement>} */
export async function automationSection(key) {
  try {
    const { evaluation } = await call('assetAutomation', { params: { key } });
    if (!evaluation) return h('section', { id: 'automation' }, h('h2', {}, 'Automation'), h('p', { class: 'muted' }, 'no automation evaluation kept (not automated, automation off, or none in 30 days)'));
    const requested = evaluation.requested.length > 0;
    return h('section', { id: 'automation' },
      h('h2', {}, 'Automation'),
      h('p', {}, `${requested ? 'requested' : 'not requested'} by the evaluation of ${time(evaluation.evaluatedAt)}`,
        requested && evaluation.requested[0] !== '' ? ` (partitions ${evaluation.requested.join(', ')})` : ''),
      evaluation.error ? h('p', { class: 'error' }, evaluation.error.message) : null,
      evaluation.tree ? h('ul', { class: 'automation-tree' }, tree(evaluation.tree, key)) : null);
  } catch (error) {
    return h('section', { id: 'automation' }, h('h2', {}, 'Automation'), errorBox(error));
  }
}
