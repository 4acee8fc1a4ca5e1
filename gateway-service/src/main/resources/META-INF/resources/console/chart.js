// A line chart of the training loss on a canvas: x = step, y = loss (axis from 0 to the maximum seen).

export class LossChart {
  constructor(canvas) {
    this.canvas = canvas;
    this.points = [];
    this.totalSteps = 1;
  }

  reset() {
    this.points = [];
    this.totalSteps = 1;
    this.draw();
  }

  add(step, total, loss) {
    this.totalSteps = Math.max(this.totalSteps, total);
    this.points.push({ step, loss });
    this.draw();
  }

  draw() {
    const ctx = this.canvas.getContext('2d');
    const { width, height } = this.canvas;
    const pad = 36;
    ctx.clearRect(0, 0, width, height);
    ctx.strokeStyle = '#999';
    ctx.beginPath();
    ctx.moveTo(pad, pad / 2);
    ctx.lineTo(pad, height - pad);
    ctx.lineTo(width - pad / 2, height - pad);
    ctx.stroke();
    if (this.points.length === 0) {
      return;
    }
    const maxLoss = Math.max(...this.points.map((p) => p.loss)) || 1;
    const x = (step) => pad + (width - 1.5 * pad) * (step / this.totalSteps);
    const y = (loss) => height - pad - (height - 1.5 * pad) * (loss / maxLoss);
    ctx.fillStyle = '#444';
    ctx.font = '11px sans-serif';
    ctx.fillText(maxLoss.toPrecision(3), 2, pad / 2 + 4);
    ctx.fillText('0', pad - 10, height - pad + 4);
    ctx.fillText(`step ${this.totalSteps}`, width - 70, height - pad + 16);
    ctx.strokeStyle = '#1f6feb';
    ctx.beginPath();
    this.points.forEach((p, i) => (i === 0 ? ctx.moveTo(x(p.step), y(p.loss)) : ctx.lineTo(x(p.step), y(p.loss))));
    ctx.stroke();
  }
}
