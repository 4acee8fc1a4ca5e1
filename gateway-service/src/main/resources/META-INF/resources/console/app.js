// The Stipple console: plain ES modules over the gateway's REST API (no build step).
import { Api } from './api.js';
import { LossChart } from './chart.js';

const KEY_ITEM = 'stipple.apiKey';
const $ = (id) => document.getElementById(id);
let api = null;

// ---- API key ------------------------------------------------------------------------------------
// Kept in sessionStorage (gone when the tab closes), or in localStorage when "remember" is ticked.

function storedKey() {
  return sessionStorage.getItem(KEY_ITEM) || localStorage.getItem(KEY_ITEM);
}

async function useKey(key, remember) {
  const candidate = new Api(key);
  const status = $('key-status');
  try {
    const models = await candidate.models();
    api = candidate;
    sessionStorage.setItem(KEY_ITEM, key);
    if (remember) {
      localStorage.setItem(KEY_ITEM, key);
    } else {
      localStorage.removeItem(KEY_ITEM);
    }
    status.textContent = 'key accepted';
    status.className = '';
    fillModelChoices(models);
    showModels(models);
  } catch (e) {
    api = null;
    status.textContent = e.message;
    status.className = 'error';
  }
}

function requireKey() {
  if (!api) {
    throw new Error('enter an API key first');
  }
  return api;
}

// ---- tabs ---------------------------------------------------------------------------------------

function showTab(name) {
  document.querySelectorAll('nav button').forEach((b) => b.classList.toggle('active', b.dataset.tab === name));
  document.querySelectorAll('.tab').forEach((t) => t.classList.toggle('active', t.id === `tab-${name}`));
  const refresh = { gallery: refreshGallery, jobs: refreshJobs, models: refreshModels }[name];
  if (refresh && api) {
    refresh();
  }
}

// ---- generate -----------------------------------------------------------------------------------

function numberOrUndefined(id) {
  const value = $(id).value.trim();
  return value === '' ? undefined : Number(value);
}

function textOrUndefined(id) {
  const value = $(id).value.trim();
  return value === '' ? undefined : value;
}

function generationRequest() {
  return {
    prompt: $('prompt').value.trim(),
    negative_prompt: textOrUndefined('negative-prompt'),
    num_images: numberOrUndefined('num-images'),
    seed: numberOrUndefined('seed'),
    steps: numberOrUndefined('steps'),
    guidance_scale: numberOrUndefined('guidance'),
    sampler: textOrUndefined('sampler'),
    upscale: textOrUndefined('upscale'),
    model: textOrUndefined('model'),
  };
}

/** Shows one job event in a run panel: state line, stage progress, loss, preview key. */
function progressShower(ids, onLoss) {
  return (event) => {
    $(ids.status).textContent = event.error ? `${event.type}: ${event.error.reason}` : event.type.replace('_', ' ');
    const progress = event.progress;
    if (progress) {
      $(ids.stage).textContent = progress.stage || '';
      $(ids.bar).max = progress.total || 1;
      $(ids.bar).value = progress.step;
      $(ids.text).textContent = `${progress.step}/${progress.total}`
        + (progress.loss != null ? `  loss ${progress.loss.toFixed(5)}` : '');
      if (progress.loss != null && onLoss) {
        onLoss(progress);
      }
      if (ids.preview && progress.preview_key) {
        $(ids.preview).hidden = false;
        $(`${ids.preview}-key`).textContent = progress.preview_key;
      }
    }
  };
}

let following = null;

async function generate(event) {
  event.preventDefault();
  const error = $('generate-error');
  error.textContent = '';
  $('result').replaceChildren();
  try {
    const client = requireKey();
    const job = await client.submitGeneration(generationRequest());
    $('generate-run').hidden = false;
    $('generate-job').textContent = job.id;
    $('job-status').textContent = job.status;
    $('progress-bar').value = 0;
    $('progress-stage').textContent = '';
    $('progress-text').textContent = '';
    following?.abort();
    following = new AbortController();
    $('generate-cancel').onclick = () => client.cancel(job.id).catch((e) => { error.textContent = e.message; });
    await client.follow(job.id, progressShower({ status: 'job-status', stage: 'progress-stage', bar: 'progress-bar',
      text: 'progress-text', preview: 'preview' }), following.signal);
    const done = await client.job(job.id);
    $('job-status').textContent = done.status + (done.error ? `: ${done.error.reason}` : '');
    $('result').replaceChildren(...images(done));
  } catch (e) {
    error.textContent = e.message;
  }
}

function images(job) {
  return (job.outputs || []).filter((o) => o.url && (o.content_type || '').startsWith('image/')).map((o) => {
    const img = document.createElement('img');
    img.src = o.url;
    img.alt = job.input?.prompt || o.key;
    img.title = o.key;
    return img;
  });
}

// ---- gallery ------------------------------------------------------------------------------------

const SHOWN_PARAMETERS = ['seed', 'steps', 'sampler', 'guidance_scale', 'upscale', 'model', 'negative_prompt'];

async function refreshGallery() {
  const gallery = $('gallery');
  try {
    const page = await requireKey().jobs({ status: 'succeeded', kind: 'generation', limit: 50 });
    gallery.replaceChildren(...page.items.map(figure));
    if (page.items.length === 0) {
      gallery.textContent = 'No results yet.';
    }
  } catch (e) {
    gallery.textContent = e.message;
  }
}

function figure(job) {
  const figure = document.createElement('figure');
  figure.dataset.jobId = job.id;
  const caption = document.createElement('figcaption');
  const prompt = document.createElement('strong');
  prompt.textContent = job.input?.prompt || '';
  const parameters = document.createElement('dl');
  for (const name of SHOWN_PARAMETERS) {
    const value = job.input?.[name];
    if (value !== undefined && value !== null && value !== '') {
      const term = document.createElement('dt');
      term.textContent = name;
      const detail = document.createElement('dd');
      detail.textContent = typeof value === 'object' ? JSON.stringify(value) : String(value);
      parameters.append(term, detail);
    }
  }
  caption.append(prompt, parameters);
  figure.append(...images(job), caption);
  return figure;
}

// ---- jobs ---------------------------------------------------------------------------------------

const FINISHED = new Set(['succeeded', 'failed', 'canceled']);

async function refreshJobs() {
  const body = $('jobs').querySelector('tbody');
  $('jobs-error').textContent = '';
  try {
    const page = await requireKey().jobs({ status: $('jobs-status').value || undefined, limit: 50 });
    body.replaceChildren(...page.items.map(jobRow));
  } catch (e) {
    $('jobs-error').textContent = e.message;
  }
}

function cell(text) {
  const td = document.createElement('td');
  td.textContent = text;
  return td;
}

function jobRow(job) {
  const row = document.createElement('tr');
  row.dataset.jobId = job.id;
  const progress = job.progress ? `${job.progress.stage} ${job.progress.step}/${job.progress.total}` : '';
  const what = job.kind === 'generation' ? job.input?.prompt : `${job.input?.class_noun} -> ${job.input?.output_model_name}`;
  const action = document.createElement('td');
  if (!FINISHED.has(job.status) && !job.cancel_requested) {
    const cancel = document.createElement('button');
    cancel.textContent = 'Cancel';
    cancel.onclick = () => requireKey().cancel(job.id).then(refreshJobs)
      .catch((e) => { $('jobs-error').textContent = e.message; });
    action.append(cancel);
  }
  row.append(cell((job.created_at || '').replace('T', ' ').slice(0, 19)), cell(job.kind),
    cell(job.status + (job.cancel_requested && !FINISHED.has(job.status) ? ' (cancel requested)' : '')),
    cell(progress), cell(what || ''), action);
  return row;
}

// ---- fine-tune ----------------------------------------------------------------------------------

let lossChart = null;

async function fineTune(event) {
  event.preventDefault();
  const error = $('finetune-error');
  error.textContent = '';
  try {
    const client = requireKey();
    const upload = await client.upload([...$('instance-images').files]);
    const job = await client.submitFineTune({
      instance_upload_id: upload.id,
      class_noun: $('class-noun').value.trim(),
      output_model_name: $('output-model-name').value.trim(),
      identifier_token: textOrUndefined('identifier-token'),
      steps: numberOrUndefined('ft-steps'),
      learning_rate: numberOrUndefined('ft-learning-rate'),
      method: textOrUndefined('ft-method'),
      base_model: textOrUndefined('ft-base-model'),
    });
    $('finetune-run').hidden = false;
    $('finetune-job').textContent = job.id;
    $('finetune-status').textContent = job.status;
    $('finetune-model').textContent = '';
    lossChart.reset();
    await client.follow(job.id, progressShower({ status: 'finetune-status', stage: 'finetune-stage', bar: 'finetune-bar',
      text: 'finetune-text' }, (p) => lossChart.add(p.step, p.total, p.loss)));
    const done = await client.job(job.id);
    $('finetune-status').textContent = done.status + (done.error ? `: ${done.error.reason}` : '');
    if (done.produced_model) {
      $('finetune-model').textContent = `New model: ${done.produced_model}`;
      refreshModels();
    }
  } catch (e) {
    error.textContent = e.message;
  }
}

// ---- models -------------------------------------------------------------------------------------

async function refreshModels() {
  try {
    const models = await requireKey().models();
    fillModelChoices(models);
    showModels(models);
  } catch (e) {
    $('models-error').textContent = e.message;
  }
}

function showModels(models) {
  $('models-error').textContent = '';
  $('models').querySelector('tbody').replaceChildren(...models.map((m) => {
    const row = document.createElement('tr');
    row.append(cell(m.model), cell(m.source), cell((m.created_at || '').slice(0, 19)), cell(m.finetune_job_id || ''));
    return row;
  }));
}

function fillModelChoices(models) {
  for (const id of ['model', 'ft-base-model']) {
    const select = $(id);
    const chosen = select.value;
    const options = models.map((m) => new Option(m.model, m.model));
    select.replaceChildren(new Option('default', ''), ...options);
    select.value = chosen;
  }
}

// ---- start --------------------------------------------------------------------------------------

function start() {
  lossChart = new LossChart($('loss-chart'));
  $('key-form').addEventListener('submit', (e) => {
    e.preventDefault();
    useKey($('api-key').value.trim(), $('remember-key').checked);
  });
  document.querySelectorAll('nav button').forEach((b) => b.addEventListener('click', () => showTab(b.dataset.tab)));
  $('generate-form').addEventListener('submit', generate);
  $('finetune-form').addEventListener('submit', fineTune);
  $('gallery-refresh').addEventListener('click', refreshGallery);
  $('jobs-refresh').addEventListener('click', refreshJobs);
  $('jobs-status').addEventListener('change', refreshJobs);
  const key = storedKey();
  if (key) {
    $('api-key').value = key;
    $('remember-key').checked = localStorage.getItem(KEY_ITEM) !== null;
    useKey(key, $('remember-key').checked);
  }
}

start();
