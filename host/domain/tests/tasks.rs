//! Champions act on tasks: complete, cancel, reassign; closed tasks stay closed.

mod support;

use support::*;
use tenure_domain::*;

fn setup_task(world: &mut World) -> TaskId {
    let plan = world.sync("2025-03-03T15:00:00Z", &[ann()]);
    task_of(&plan, "Complete IT Setup").id.clone()
}

#[test]
fn completing_a_task_records_who_when_and_the_note() {
    let mut world = World::new();
    let id = setup_task(&mut world);
    let olive = UserId::new("olive");
    let action = TaskAction::Complete {
        note: Some("  laptop ordered  ".into()),
    };
    let plan = world
        .run("2025-03-04T09:00:00Z", |k, ctx| {
            act_on_task(k, &id, action, &olive, ctx)
        })
        .unwrap();
    assert_eq!(kinds(&plan), names(&["update task Complete IT Setup"]));
    world.known.apply(&plan);
    let task = &world.known.tasks[&id];
    assert_eq!(
        task.state,
        TaskState::Done {
            at: at("2025-03-04T09:00:00Z"),
            by: olive.clone(),
            note: Some("laptop ordered".into()),
        }
    );
    assert_eq!(plan.audit.len(), 1);
    assert_eq!(plan.audit[0].action, AuditAction::TaskCompleted);
    assert_eq!(plan.audit[0].actor, Actor::User { id: olive.clone() });
    assert!(plan.audit[0].detail.contains("Ann Lee"));
    assert!(plan.audit[0].detail.ends_with("laptop ordered"));

    let again = world.run("2025-03-04T10:00:00Z", |k, ctx| {
        act_on_task(
            k,
            &id,
            TaskAction::Cancel {
                reason: "oops".into(),
            },
            &olive,
            ctx,
        )
    });
    assert_eq!(
        again.unwrap_err().to_string(),
        format!("task {id} is already done; only open tasks can change")
    );
}

#[test]
fn cancelling_needs_a_reason_and_reassigning_an_assignee() {
    let mut world = World::new();
    let id = setup_task(&mut world);
    let by = UserId::new("admin");
    let blank = world.run("2025-03-04T09:00:00Z", |k, ctx| {
        act_on_task(k, &id, TaskAction::Cancel { reason: " ".into() }, &by, ctx)
    });
    assert_eq!(blank.unwrap_err(), TaskError::NoReason);
    let nobody = world.run("2025-03-04T09:00:00Z", |k, ctx| {
        act_on_task(
            k,
            &id,
            TaskAction::Assign {
                assignees: vec![UserId::new("")],
            },
            &by,
            ctx,
        )
    });
    assert_eq!(nobody.unwrap_err(), TaskError::NoAssignee);

    let plan = world
        .run("2025-03-04T09:00:00Z", |k, ctx| {
            act_on_task(
                k,
                &id,
                TaskAction::Assign {
                    assignees: vec![UserId::new("omar"), UserId::new("omar")],
                },
                &by,
                ctx,
            )
        })
        .unwrap();
    world.known.apply(&plan);
    assert_eq!(world.known.tasks[&id].assignees, vec![UserId::new("omar")]);
    assert!(world.known.tasks[&id].is_open());

    let plan = world
        .run("2025-03-04T09:30:00Z", |k, ctx| {
            act_on_task(
                k,
                &id,
                TaskAction::Cancel {
                    reason: "hire withdrawn".into(),
                },
                &by,
                ctx,
            )
        })
        .unwrap();
    world.known.apply(&plan);
    assert_eq!(world.known.tasks[&id].state_name(), "cancelled");
    assert_eq!(plan.audit[0].action, AuditAction::TaskCancelled);
}

#[test]
fn an_unknown_task_is_refused() {
    let mut world = World::new();
    let missing = TaskId::new("T-404");
    let err = world.run("2025-03-04T09:00:00Z", |k, ctx| {
        act_on_task(
            k,
            &missing,
            TaskAction::Complete { note: None },
            &UserId::new("a"),
            ctx,
        )
    });
    assert_eq!(err.unwrap_err(), TaskError::NotFound(missing));
}
